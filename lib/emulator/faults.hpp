// Scripted faults: each matches Graph requests by method and path substring and misbehaves for
// the next `count` of them, in the order the faults were added.
#pragma once

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <boost/json/value.hpp>
#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "emulator/graph_response.hpp"
#include "http/message.hpp"

namespace xtsync::emulator {

enum class FaultAction {
  respond,         // answer with the scripted status/headers/body (or, without a status, handle normally)
  close,           // close the connection without a response
  close_mid_body,  // send the headers and half the body, then close
  drip,            // send the whole response one byte every `drip` interval (a slow server)
  reset,           // abort the connection with a TCP RST instead of answering
  reset_mid_body,  // send the headers and half the body, then abort with a TCP RST
};

struct Fault {
  std::uint64_t id = 0;
  std::optional<std::string> method;  // upper case; any method when unset
  std::optional<std::string> path;    // case-insensitive substring of the target; any when unset
  int remaining = 1;
  FaultAction action = FaultAction::respond;
  std::optional<int> status;
  std::optional<std::string> retry_after;   // sent verbatim as Retry-After
  std::optional<std::string> body;          // raw; default: a Graph error body for the status
  std::optional<std::string> content_type;  // default: Graph's JSON type for JSON bodies, else text/plain
  http::Headers headers;                    // extra response headers
  std::chrono::milliseconds delay{0};
  std::chrono::milliseconds drip{200};  // `drip` only: the pause before each byte
  bool apply = false;  // `close` only: handle the request (and keep its effect) before closing

  bool matches(std::string_view request_method, std::string_view target) const;
  // The scripted response; only meaningful when `status` is set.
  http::Response response(const CallContext& ctx) const;
  boost::json::object to_json() const;
};

// The body of POST /_emulator/faults; throws std::invalid_argument naming the bad field.
Fault parse_fault(const boost::json::value& spec);

class FaultList {
 public:
  // Stores the fault with a fresh id and returns that copy.
  const Fault& add(Fault fault);
  // The first fault matching the request, with one use consumed (dropped when used up).
  std::optional<Fault> take(std::string_view method, std::string_view target);
  void clear() { faults_.clear(); }
  bool empty() const noexcept { return faults_.empty(); }
  boost::json::array to_json() const;

 private:
  std::vector<Fault> faults_;
  std::uint64_t next_id_ = 1;
};

}  // namespace xtsync::emulator
