// The most recent Graph and identity requests received, for tests to inspect what a client sent.
// A ring: the oldest entries go once `capacity` is reached, and long bodies are cut, so a busy or
// long-running emulator cannot grow without bound.
#pragma once

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <string_view>

#include "emulator/time_format.hpp"
#include "http/message.hpp"

namespace xtsync::emulator {

inline constexpr std::size_t k_default_request_log_size = 1000;
// Bodies longer than this are kept cut to it (at a UTF-8 boundary), marked "bodyTruncated".
inline constexpr std::size_t k_max_logged_body = 64 * 1024;

class RequestLog {
 public:
  // Keeps the last `capacity` requests; 0 keeps none.
  explicit RequestLog(std::size_t capacity = k_default_request_log_size) : capacity_(capacity) {}

  // Headers are kept as received, Authorization included: this is a loopback test tool.
  // A batch item is logged as its own entry, after its batch, with "batchItem": its id.
  void record(const http::Request& request, std::uint64_t connection, Clock::time_point received,
              std::string_view batch_item = {});
  void clear() { entries_.clear(); }
  std::size_t size() const noexcept { return entries_.size(); }
  std::size_t capacity() const noexcept { return capacity_; }
  // Oldest first: [{"method","target","headers":{lower-case name: value},"body","connection","time"}],
  // plus "bodyTruncated": true and "bodySize" (bytes received) when the body was cut.
  boost::json::array entries() const;

 private:
  std::size_t capacity_;
  std::deque<boost::json::object> entries_;
};

}  // namespace xtsync::emulator
