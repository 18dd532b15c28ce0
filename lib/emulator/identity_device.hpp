// Device authorization grant state: the codes handed out by /devicecode and how each one answers
// polls (scripted through POST /_emulator/device, since no user ever signs in).
#pragma once

#include <boost/json/object.hpp>
#include <chrono>
#include <map>
#include <optional>
#include <string>

#include "emulator/time_format.hpp"

namespace xtsync::emulator {

enum class DeviceOutcome { approve, decline, expire };

// How the next device codes behave: `slow_down` slow_down answers, then `pending_polls`
// authorization_pending answers, then the outcome.
struct DeviceScript {
  int pending_polls = 1;
  int slow_down = 0;
  DeviceOutcome outcome = DeviceOutcome::approve;

  boost::json::object to_json() const;
};

// {"pendingPolls":N,"slowDown":K,"outcome":"approve"|"decline"|"expire"}; members not given
// keep the value from `defaults`. Throws std::invalid_argument for anything else.
DeviceScript parse_device_script(const boost::json::object& body, const DeviceScript& defaults);

struct DeviceFlow {
  std::string client_id;
  std::string tenant_id;
  std::string scope;
  std::string user_code;
  Clock::time_point expires;
  std::chrono::seconds interval{0};
  DeviceScript remaining;  // counts down as polls arrive
  std::optional<Clock::time_point> last_poll;
};

enum class DevicePoll { approved, pending, slow_down, declined, expired, unknown };

// Codes live for this long (the documented default of expires_in).
inline constexpr std::chrono::seconds k_device_code_lifetime{900};

class DeviceFlows {
 public:
  // Returns the new device code; the flow follows `script`.
  std::string start(DeviceFlow flow);

  // Answers one poll. An approved code is used up: later polls with it are `unknown`.
  DevicePoll poll(const std::string& device_code, const std::string& client_id, Clock::time_point now,
                  DeviceFlow& flow_out);

  void clear() { flows_.clear(); }

 private:
  std::map<std::string, DeviceFlow> flows_;
};

// Nine upper-case letters, like Entra ID's user codes.
std::string new_user_code();

}  // namespace xtsync::emulator
