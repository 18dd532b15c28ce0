#include "auth/github_oidc.hpp"

#include <fmt/format.h>
#include <boost/json/parse.hpp>

#include "auth/token_endpoint.hpp"
#include "error.hpp"
#include "http/url.hpp"
#include "util/redact.hpp"
#include "util/strings.hpp"

namespace xtsync::auth {

namespace {

constexpr const char* k_permission_hint =
    "the workflow job needs 'permissions: id-token: write' to request an OIDC token from GitHub";

Error github_error(const std::string& detail) {
  Error error(ErrorKind::auth, fmt::format("cannot get an ID token from GitHub Actions: {}", detail));
  error.hint = k_permission_hint;
  return error;
}

}  // namespace

GitHubOidcCredential::GitHubOidcCredential(AuthContext ctx, std::string request_url,
                                           std::string request_token)
    : ctx_(std::move(ctx)), request_url_(std::move(request_url)), request_token_(std::move(request_token)) {
  // The request token goes to this URL: GitHub's is https://; only a local test server may skip TLS.
  http::require_tls_unless_loopback(http::parse_url(request_url_), "ACTIONS_ID_TOKEN_REQUEST_URL");
  util::register_secret(request_token_);
}

std::string GitHubOidcCredential::fetch_id_token() const {
  http::Request request;
  request.method = "GET";
  // The URL GitHub gives already has a query (?api-version=…), so the audience is appended.
  request.url = request_url_;
  request.url += request_url_.find('?') == std::string::npos ? '?' : '&';
  request.url += "audience=";
  request.url += util::percent_encode(ctx_.cloud.federation_audience);
  std::string authorization = "bearer ";
  authorization += request_token_;
  request.headers = {{"Authorization", std::move(authorization)}};
  const http::Exchange exchange = ctx_.send(std::move(request), {"get an ID token from GitHub Actions"});
  const http::Response& response = exchange.response;
  throw_if_throttled(exchange, "get an ID token from GitHub Actions");
  if (response.status < 200 || response.status >= 300) {
    Error error = github_error(
        fmt::format("HTTP {}{}{}", response.status, response.reason.empty() ? "" : " ", response.reason));
    error.http_status = response.status;
    throw error;
  }
  boost::system::error_code ec;
  const auto body = boost::json::parse(response.body, ec);
  const auto* value = !ec && body.is_object() ? body.get_object().if_contains("value") : nullptr;
  if (!value || !value->is_string() || value->get_string().empty()) {
    throw github_error(fmt::format("HTTP {}, but the answer has no ID token ('value')", response.status));
  }
  util::register_secret(value->get_string());
  return std::string(value->get_string());
}

AccessToken GitHubOidcCredential::get_token() {
  return request_token_with_assertion(ctx_, fetch_id_token());
}

}  // namespace xtsync::auth
