// Turning Graph's error responses into xtsync::Error.
#pragma once

#include <string>
#include <string_view>

#include "error.hpp"
#include "http/message.hpp"

namespace xtsync::graph {

// What Graph's OData error body says. Every field may be empty: bodies can be partial,
// non-JSON (a proxy's HTML page), or use `innererror` instead of `innerError`.
struct ErrorBody {
  std::string code;
  std::string message;
  std::string inner_code;  // the most detailed nested error code, if any
  std::string request_id;
  std::string client_request_id;
  std::string date;
};

ErrorBody parse_error_body(std::string_view body);

// The error kind an HTTP status leads to (404 → not_found, 409 → conflict, ...).
ErrorKind kind_for_status(int status);

// An Error for a failed response; `what` names the operation, e.g. "read the policy of <tenant>",
// and `note` (if any) is appended in parentheses, e.g. "gave up after 5 attempts".
Error error_from_response(const http::Response& response, std::string_view what, std::string_view note = {});

}  // namespace xtsync::graph
