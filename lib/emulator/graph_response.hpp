// Responses in Microsoft Graph's shape: correlation headers, OData JSON and the error envelope.
#pragma once

#include <boost/json/array.hpp>
#include <boost/json/value.hpp>
#include <stdexcept>
#include <string>
#include <string_view>

#include "emulator/time_format.hpp"
#include "http/message.hpp"

namespace xtsync::emulator {

// The Content-Type Graph puts on every JSON response.
inline constexpr std::string_view k_odata_json_type =
    "application/json;odata.metadata=minimal;odata.streaming=true;IEEE754Compatible=false;charset=utf-8";

// Per-request correlation: every response and every error body of one request agrees on these.
struct CallContext {
  std::string request_id;         // fresh per request
  std::string client_request_id;  // the client's, echoed, else fresh
  Clock::time_point now;
};

CallContext make_call_context(const http::Request& request, Clock::time_point now);

// An error the Graph handlers raise; turned into the error envelope at the top of the dispatch.
class GraphError : public std::runtime_error {
 public:
  GraphError(int status, std::string code, const std::string& message)
      : std::runtime_error(message), status_(status), code_(std::move(code)) {}

  int status() const noexcept { return status_; }
  const std::string& code() const noexcept { return code_; }

  boost::json::array details;  // error.details[], e.g. ConflictingObjects on a 409
  http::Headers headers;       // extra response headers, e.g. WWW-Authenticate or Allow

 private:
  int status_;
  std::string code_;
};

// request-id, client-request-id, x-ms-ags-diagnostic, Date and Cache-Control.
void add_graph_headers(http::Response& response, const CallContext& ctx);

http::Response graph_json(int status, const boost::json::value& body, const CallContext& ctx);
http::Response graph_no_content(const CallContext& ctx);
http::Response graph_error(const GraphError& error, const CallContext& ctx);

// {"error":{"code","message",["details"],"innerError":{"date","request-id","client-request-id"}}}
boost::json::object error_body(std::string_view code, std::string_view message,
                               const boost::json::array& details, const CallContext& ctx);

// The code and message Graph uses for a bare status, for scripted faults without a body.
struct StatusError {
  std::string code;
  std::string message;
};
StatusError default_error_for_status(int status);

}  // namespace xtsync::emulator
