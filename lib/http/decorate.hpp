// The headers every outgoing request carries, Graph and identity platform alike, set here and
// nowhere else.
#pragma once

#include <string>
#include <string_view>

#include "http/message.hpp"

namespace xtsync::http {

// "xtsync/0.1.0"
std::string user_agent();

// Sets client-request-id (kept across the retries of one call, so the server's logs tie them
// together), User-Agent, and Accept: application/json unless the caller chose another.
void decorate(Request& request, std::string_view client_request_id);

// Retry-Attempt: N on the N-th resend (none on the first send).
void mark_attempt(Request& request, int attempt);

}  // namespace xtsync::http
