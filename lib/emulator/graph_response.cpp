#include "emulator/graph_response.hpp"

#include <boost/json/serialize.hpp>

#include "util/guid.hpp"

namespace xtsync::emulator {

namespace json = boost::json;

CallContext make_call_context(const http::Request& request, Clock::time_point now) {
  CallContext ctx;
  ctx.request_id = util::new_guid();
  auto client_id = http::find_header(request.headers, "client-request-id");
  ctx.client_request_id = client_id && !client_id->empty() ? *client_id : util::new_guid();
  ctx.now = now;
  return ctx;
}

void add_graph_headers(http::Response& response, const CallContext& ctx) {
  http::set_header(response.headers, "Cache-Control", "no-cache");
  http::set_header(response.headers, "request-id", ctx.request_id);
  http::set_header(response.headers, "client-request-id", ctx.client_request_id);
  http::set_header(response.headers, "x-ms-ags-diagnostic",
                   R"({"ServerInfo":{"DataCenter":"Loopback","Slice":"E","Ring":"0","ScaleUnit":"000",)"
                   R"("RoleInstance":"xtsync-emulator"}})");
  http::set_header(response.headers, "Date", http_date(ctx.now));
}

http::Response graph_json(int status, const json::value& body, const CallContext& ctx) {
  http::Response response;
  response.status = status;
  response.body = json::serialize(body);
  http::set_header(response.headers, "Content-Type", std::string(k_odata_json_type));
  http::set_header(response.headers, "OData-Version", "4.0");
  add_graph_headers(response, ctx);
  return response;
}

http::Response graph_no_content(const CallContext& ctx) {
  http::Response response;
  response.status = 204;
  add_graph_headers(response, ctx);
  return response;
}

json::object error_body(std::string_view code, std::string_view message, const json::array& details,
                        const CallContext& ctx) {
  json::object error;
  error["code"] = code;
  error["message"] = message;
  if (!details.empty()) error["details"] = details;
  error["innerError"] = json::object{{"date", iso_utc_no_zone(ctx.now)},
                                     {"request-id", ctx.request_id},
                                     {"client-request-id", ctx.client_request_id}};
  return json::object{{"error", std::move(error)}};
}

http::Response graph_error(const GraphError& error, const CallContext& ctx) {
  http::Response response =
      graph_json(error.status(), error_body(error.code(), error.what(), error.details, ctx), ctx);
  for (const auto& h : error.headers) http::set_header(response.headers, h.name, h.value);
  return response;
}

StatusError default_error_for_status(int status) {
  switch (status) {
    case 400:
      return {"BadRequest", "The request is malformed or incorrect."};
    case 401:
      return {"InvalidAuthenticationToken", "Access token validation failure."};
    case 403:
      return {"Authorization_RequestDenied", "Insufficient privileges to complete the operation."};
    case 404:
      return {"Request_ResourceNotFound", "The requested resource does not exist."};
    case 405:
      return {"Request_BadRequest", "Specified HTTP method is not allowed for the request target."};
    case 409:
      return {"Directory_ConcurrencyViolation",
              "Another operation is in progress on this object. Please retry the operation."};
    case 412:
      return {"PreconditionFailed", "The precondition given in one or more of the request headers failed."};
    case 413:
      return {"RequestEntityTooLarge", "The request is larger than the maximum size allowed."};
    case 423:
      return {"Locked", "The resource that is being accessed is locked."};
    case 429:
      return {"TooManyRequests", "Too many requests from this client. Please try again later."};
    case 500:
      return {"InternalServerError", "An internal server error occurred while processing the request."};
    case 501:
      return {"NotImplemented", "The requested feature isn't implemented."};
    case 502:
      return {"BadGateway", "The server received an invalid response from the upstream server."};
    case 503:
      return {"ServiceUnavailable", "The service is temporarily unavailable. Please retry after a delay."};
    case 504:
      return {"GatewayTimeout", "The server did not receive a timely response from the upstream server."};
    default:
      break;
  }
  if (status >= 500) return {"UnknownError", "The service encountered an error."};
  return {"BadRequest", "The request could not be processed."};
}

}  // namespace xtsync::emulator
