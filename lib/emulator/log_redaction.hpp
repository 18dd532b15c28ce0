// What the emulator's stderr log may show of a request: logs get pasted into bug reports and CI
// output, so credentials a client put in the query string are hidden there.
#pragma once

#include <string>
#include <string_view>

namespace xtsync::emulator {

// Whether a query parameter carries a credential: util::is_secret_field's form rule (access_token,
// code, client_secret, password, ...) plus any name containing "assertion".
bool is_secret_parameter(std::string_view name);

// The request target with the value of every secret query parameter replaced by REDACTED.
std::string redact_target(std::string_view target);

}  // namespace xtsync::emulator
