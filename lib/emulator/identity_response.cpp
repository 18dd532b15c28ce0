#include "emulator/identity_response.hpp"

#include <fmt/format.h>
#include <boost/json/serialize.hpp>

#include "util/guid.hpp"

namespace xtsync::emulator {

namespace json = boost::json;

IdentityContext make_identity_context(const http::Request& request, Clock::time_point now) {
  IdentityContext ctx;
  ctx.trace_id = util::new_guid();
  const auto client = http::find_header(request.headers, "client-request-id");
  ctx.correlation_id = client && !client->empty() ? *client : util::new_guid();
  ctx.now = now;
  return ctx;
}

std::string identity_timestamp(Clock::time_point t) {
  std::string out = iso_utc_seconds(t);
  out[10] = ' ';
  return out;
}

http::Response identity_json(int status, const json::object& body, const IdentityContext& ctx) {
  http::Response response;
  response.status = status;
  response.body = json::serialize(body);
  http::set_header(response.headers, "Content-Type", "application/json; charset=utf-8");
  http::set_header(response.headers, "Cache-Control", "no-store, no-cache");
  http::set_header(response.headers, "Pragma", "no-cache");
  http::set_header(response.headers, "x-ms-request-id", ctx.trace_id);
  http::set_header(response.headers, "client-request-id", ctx.correlation_id);
  http::set_header(response.headers, "Date", http_date(ctx.now));
  return response;
}

http::Response identity_error(const IdentityError& error, const IdentityContext& ctx, std::string_view base_url) {
  const std::string timestamp = identity_timestamp(ctx.now);
  json::object body{
      {"error", error.error()},
      {"error_description", fmt::format("AADSTS{}: {}\r\nTrace ID: {}\r\nCorrelation ID: {}\r\nTimestamp: {}",
                                        error.aadsts(), error.what(), ctx.trace_id, ctx.correlation_id,
                                        timestamp)},
      {"error_codes", json::array{error.aadsts()}},
      {"timestamp", timestamp},
      {"trace_id", ctx.trace_id},
      {"correlation_id", ctx.correlation_id},
      {"error_uri", fmt::format("{}/error?code={}", base_url, error.aadsts())}};
  http::Response response = identity_json(error.status(), body, ctx);
  if (error.status() == 401) {
    http::set_header(response.headers, "WWW-Authenticate", "Basic realm=\"xtsync-emulator\"");
  }
  return response;
}

http::Response provider_json(int status, const json::object& body, Clock::time_point now) {
  http::Response response;
  response.status = status;
  response.body = json::serialize(body);
  http::set_header(response.headers, "Content-Type", "application/json; charset=utf-8");
  http::set_header(response.headers, "Cache-Control", "no-store");
  http::set_header(response.headers, "Date", http_date(now));
  return response;
}

}  // namespace xtsync::emulator
