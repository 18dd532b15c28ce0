#include "auth/managed_identity.hpp"

#include <fmt/format.h>
#include <boost/json/parse.hpp>

#include "auth/jwt.hpp"
#include "auth/token_endpoint.hpp"
#include "error.hpp"
#include "http/url.hpp"
#include "util/json_fields.hpp"
#include "util/terminal_text.hpp"
#include "util/redact.hpp"
#include "util/strings.hpp"

namespace xtsync::auth {

namespace json = boost::json;

namespace {

// What the endpoint said went wrong: IMDS uses OAuth's error/error_description, App Service
// {"statusCode":…,"message":…}.
std::string error_detail(const json::object& body) {
  std::string detail = util::string_at(body, "error");
  const std::string description = util::string_at(body, "error_description");
  if (!description.empty()) {
    if (!detail.empty()) detail += ": ";
    detail += description;
  }
  if (detail.empty()) detail = util::string_at(body, "message");
  if (detail.empty()) {
    if (const auto* inner = body.if_contains("error"); inner && inner->is_object()) {
      detail = util::string_at(inner->get_object(), "message");
    }
  }
  return util::escape_controls(redact_jwts(detail));
}

}  // namespace

ManagedIdentityCredential::ManagedIdentityCredential(AuthContext ctx) : ctx_(std::move(ctx)) {
  identity_endpoint_ = ctx_.getenv("IDENTITY_ENDPOINT").value_or("");
  identity_header_ = ctx_.getenv("IDENTITY_HEADER").value_or("");
  util::register_secret(identity_header_);
  // An App Service-style endpoint without its header is a broken setup; falling back to the
  // metadata address would send a request nobody asked for.
  if (!identity_endpoint_.empty() && identity_header_.empty()) {
    throw Error(ErrorKind::auth, "IDENTITY_ENDPOINT is set but IDENTITY_HEADER is not");
  }
  if (identity_endpoint_.empty()) identity_header_.clear();
  // The App Service endpoint is local to the sandbox: https://, or http:// on loopback only.
  if (!identity_endpoint_.empty()) http::require_tls_unless_loopback(http::parse_url(identity_endpoint_), "IDENTITY_ENDPOINT");
  imds_endpoint_ = ctx_.getenv("IMDS_ENDPOINT").value_or("");
  if (imds_endpoint_.empty()) imds_endpoint_ = "http://169.254.169.254";
  while (!imds_endpoint_.empty() && imds_endpoint_.back() == '/') imds_endpoint_.pop_back();
  if (const auto imds = http::parse_url(imds_endpoint_); !http::is_metadata_service_host(imds.host)) {
    http::require_tls_unless_loopback(imds, "IMDS_ENDPOINT");
  }
}

std::string ManagedIdentityCredential::token_url() const {
  std::string url;
  if (!identity_endpoint_.empty()) {
    url = identity_endpoint_;
    url += identity_endpoint_.find('?') == std::string::npos ? '?' : '&';
    url += "api-version=2019-08-01";
  } else {
    url = imds_endpoint_;
    url += "/metadata/identity/oauth2/token?api-version=2018-02-01";
  }
  url += "&resource=";
  url += util::percent_encode(ctx_.cloud.graph_root);
  if (!ctx_.client_id.empty()) {
    url += "&client_id=";
    url += util::percent_encode(ctx_.client_id);
  }
  return url;
}

AccessToken ManagedIdentityCredential::get_token() {
  const bool app_service = !identity_endpoint_.empty();
  const std::string source = app_service ? "the managed identity endpoint (IDENTITY_ENDPOINT)"
                                         : "the instance metadata service (IMDS)";
  http::Request request;
  request.method = "GET";
  request.url = token_url();
  if (app_service) {
    request.headers.push_back({"X-IDENTITY-HEADER", identity_header_});
  } else {
    request.headers.push_back({"Metadata", "true"});
  }
  const http::Exchange exchange =
      ctx_.send(std::move(request), {"get a managed identity token from " + source});
  const http::Response& response = exchange.response;
  throw_if_throttled(exchange, "get a managed identity token from " + source);

  boost::system::error_code ec;
  json::value parsed = json::parse(response.body, ec);
  const json::object* body = !ec && parsed.is_object() ? &parsed.get_object() : nullptr;
  if (response.status < 200 || response.status >= 300) {
    std::string message =
        fmt::format("cannot get a managed identity token from {}: HTTP {}", source, response.status);
    const std::string detail = body ? error_detail(*body) : std::string();
    if (!detail.empty()) message += fmt::format(": {}", detail);
    Error error(ErrorKind::auth, message);
    error.http_status = response.status;
    if (response.status == 400 && !app_service) {
      error.hint =
          ctx_.client_id.empty()
              ? "no system-assigned identity on this machine: enable one, or pass the client ID of a "
                "user-assigned identity"
              : "no user-assigned identity with this client ID is attached to this machine";
    }
    throw error;
  }
  const std::string token = body ? util::string_at(*body, "access_token") : std::string();
  if (token.empty()) {
    throw Error(ErrorKind::auth,
                fmt::format("cannot get a managed identity token from {}: HTTP {}, but the answer "
                            "has no access_token",
                            source, response.status));
  }
  AccessToken out{token, ctx_.now() + std::chrono::minutes(5)};
  if (const auto expires_on = seconds_field(*body, "expires_on")) {
    out.expires_on = expiry_at(ctx_.now(), *expires_on);
  } else if (const auto expires_in = seconds_field(*body, "expires_in")) {
    out.expires_on = expiry_after(ctx_.now(), *expires_in);
  }
  return out;
}

}  // namespace xtsync::auth
