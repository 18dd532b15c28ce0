// The emulator's own API under /_emulator: health, reset, seeding, state, request-log and
// write-quota inspection, and fault scripting. No authentication: it only ever listens on loopback.
#pragma once

#include <string_view>

#include "emulator/faults.hpp"
#include "emulator/graph_service.hpp"
#include "emulator/request_log.hpp"
#include "emulator/state.hpp"
#include "emulator/time_format.hpp"
#include "http/message.hpp"

namespace xtsync::emulator {

inline constexpr std::string_view k_control_prefix = "/_emulator";

// Whether a request target belongs to the control API rather than to Graph.
bool is_control_target(std::string_view target) noexcept;

class ControlApi {
 public:
  ControlApi(State& state, FaultList& faults, RequestLog& log, Graph& graph, ClockFn clock)
      : state_(state), faults_(faults), log_(log), graph_(graph), clock_(std::move(clock)) {}

  http::Response handle(const http::Request& request);

 private:
  http::Response seed(const http::Request& request);
  http::Response add_fault(const http::Request& request);
  http::Response state_json() const;

  State& state_;
  FaultList& faults_;
  RequestLog& log_;
  Graph& graph_;
  ClockFn clock_;
};

}  // namespace xtsync::emulator
