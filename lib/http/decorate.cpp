#include "http/decorate.hpp"

namespace xtsync::http {

std::string user_agent() {
  return "xtsync/" XTSYNC_VERSION;
}

void decorate(Request& request, std::string_view client_request_id) {
  set_header(request.headers, "client-request-id", std::string(client_request_id));
  set_header(request.headers, "User-Agent", user_agent());
  if (!find_header(request.headers, "Accept")) request.headers.push_back({"Accept", "application/json"});
  if (!request.body.empty() && !find_header(request.headers, "Content-Type")) {
    request.headers.push_back({"Content-Type", "application/json"});
  }
}

void mark_attempt(Request& request, int attempt) {
  if (attempt > 0) set_header(request.headers, "Retry-Attempt", std::to_string(attempt));
}

}  // namespace xtsync::http
