// Every Graph request received since the last reset, for tests to inspect what a client sent.
#pragma once

#include <boost/json/array.hpp>
#include <cstdint>

#include "emulator/time_format.hpp"
#include "http/message.hpp"

namespace xtsync::emulator {

class RequestLog {
 public:
  // Headers are kept as received, Authorization included: this is a loopback test tool.
  void record(const http::Request& request, std::uint64_t connection, Clock::time_point received);
  void clear() { entries_.clear(); }
  std::size_t size() const noexcept { return entries_.size(); }
  // [{"method","target","headers":{lower-case name: value},"body","connection","time"}]
  const boost::json::array& entries() const noexcept { return entries_; }

 private:
  boost::json::array entries_;
};

}  // namespace xtsync::emulator
