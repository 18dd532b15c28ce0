#include "emulator/identity_device.hpp"
#include "util/base64.hpp"

#include <fmt/format.h>
#include <stdexcept>

#include "emulator/identity_jwt.hpp"

namespace xtsync::emulator {

namespace json = boost::json;

namespace {

int count_member(const json::object& body, std::string_view name, int fallback) {
  const auto* value = body.if_contains(name);
  if (!value) return fallback;
  if (value->is_int64() && value->as_int64() >= 0 && value->as_int64() <= 1'000'000) {
    return static_cast<int>(value->as_int64());
  }
  if (value->is_uint64() && value->as_uint64() <= 1'000'000) return static_cast<int>(value->as_uint64());
  throw std::invalid_argument(fmt::format("{} must be a non-negative integer", name));
}

std::string_view outcome_name(DeviceOutcome outcome) {
  switch (outcome) {
    case DeviceOutcome::approve:
      return "approve";
    case DeviceOutcome::decline:
      return "decline";
    case DeviceOutcome::expire:
      return "expire";
  }
  return "approve";
}

}  // namespace

json::object DeviceScript::to_json() const {
  return json::object{{"pendingPolls", pending_polls}, {"slowDown", slow_down}, {"outcome", outcome_name(outcome)}};
}

DeviceScript parse_device_script(const json::object& body, const DeviceScript& defaults) {
  for (const auto& [key, value] : body) {
    if (key != "pendingPolls" && key != "slowDown" && key != "outcome") {
      throw std::invalid_argument(fmt::format("unknown member '{}'", std::string_view(key)));
    }
  }
  DeviceScript script = defaults;
  script.pending_polls = count_member(body, "pendingPolls", defaults.pending_polls);
  script.slow_down = count_member(body, "slowDown", defaults.slow_down);
  if (const auto* outcome = body.if_contains("outcome")) {
    const auto* name = outcome->if_string();
    if (name && *name == "approve") {
      script.outcome = DeviceOutcome::approve;
    } else if (name && *name == "decline") {
      script.outcome = DeviceOutcome::decline;
    } else if (name && *name == "expire") {
      script.outcome = DeviceOutcome::expire;
    } else {
      throw std::invalid_argument("outcome must be \"approve\", \"decline\" or \"expire\"");
    }
  }
  return script;
}

std::string new_user_code() {
  const std::string random = random_bytes(9);
  std::string code;
  for (const char c : random) code += static_cast<char>('A' + static_cast<unsigned char>(c) % 26);
  return code;
}

std::string DeviceFlows::start(DeviceFlow flow) {
  std::string code = util::base64url_encode(random_bytes(48));
  flows_[code] = std::move(flow);
  return code;
}

DevicePoll DeviceFlows::poll(const std::string& device_code, const std::string& client_id, Clock::time_point now,
                             DeviceFlow& flow_out) {
  const auto it = flows_.find(device_code);
  if (it == flows_.end() || it->second.client_id != client_id) return DevicePoll::unknown;
  DeviceFlow& flow = it->second;
  flow_out = flow;
  if (now >= flow.expires) return DevicePoll::expired;
  // Faster than the announced interval (RFC 8628 §3.5). The interval is not raised afterwards.
  const bool too_fast = flow.last_poll && flow.interval.count() > 0 && now - *flow.last_poll < flow.interval;
  flow.last_poll = now;
  if (too_fast) return DevicePoll::slow_down;
  DeviceScript& left = flow.remaining;
  if (left.slow_down > 0) {
    --left.slow_down;
    return DevicePoll::slow_down;
  }
  if (left.pending_polls > 0) {
    --left.pending_polls;
    return DevicePoll::pending;
  }
  switch (left.outcome) {
    case DeviceOutcome::decline:
      return DevicePoll::declined;
    case DeviceOutcome::expire:
      return DevicePoll::expired;
    case DeviceOutcome::approve:
      break;
  }
  flows_.erase(it);
  return DevicePoll::approved;
}

}  // namespace xtsync::emulator
