#include "auth/token_endpoint.hpp"

#include <fmt/format.h>
#include <algorithm>
#include <boost/json/parse.hpp>
#include <charconv>
#include <cmath>
#include <stdexcept>

#include "auth/jwt.hpp"
#include "http/url.hpp"
#include "util/json_fields.hpp"
#include "util/secrets.hpp"
#include "util/strings.hpp"
#include "util/terminal_text.hpp"
#include "util/redact.hpp"

namespace xtsync::auth {

namespace json = boost::json;

namespace {

std::string login_host(const std::string& url) {
  try {
    return http::parse_url(url).host;
  } catch (const Error&) {
    return url;
  }
}

std::string first_line(std::string_view text) {
  const auto end = text.find_first_of("\r\n");
  return std::string(util::trim(text.substr(0, end)));
}

// "AADSTS7000215: Invalid client secret…" → 7000215, for answers without error_codes.
std::optional<std::int64_t> code_in_description(std::string_view description) {
  constexpr std::string_view k_prefix = "AADSTS";
  const auto at = description.find(k_prefix);
  if (at == std::string_view::npos) return std::nullopt;
  const char* begin = description.data() + at + k_prefix.size();
  const char* end = description.data() + description.size();
  std::int64_t code = 0;
  const auto [ptr, ec] = std::from_chars(begin, end, code);
  if (ec != std::errc{} || ptr == begin) return std::nullopt;
  return code;
}

std::string hint_for(std::int64_t code) {
  switch (code) {
    case 7000215:
    case 7000222:
      return "the client secret is wrong or expired: use the secret's value (not its ID), or create a new "
             "one";
    case 90002:
    case 900023:
      return "the tenant was not found: check --tenant / AZURE_TENANT_ID and --cloud";
    case 7000218:
      return "the app wants a client secret or assertion: for 'xtsync login' the app registration must allow "
             "public client flows (Authentication > Allow public client flows), or omit --client-id to use "
             "xtsync's default client";
    case 700016:
      return "the application was not found in the tenant: check the client ID (--client-id / "
             "AZURE_CLIENT_ID) "
             "and the tenant";
    case 65001:
      return "consent is missing: an admin must grant consent for Policy.ReadWrite.CrossTenantAccess to the "
             "app";
    case 70021:
    case 700212:
    case 700213:
      return "no federated credential matches the token: check the issuer, subject and audience of the app's "
             "federated credential";
    case 700027:
      return "the certificate is not registered on the app or the signature is invalid: upload this "
             "certificate "
             "to the app registration";
    case 700024:
      return "the assertion's time is not valid: check this machine's clock";
    default:
      return {};
  }
}

// Removes every occurrence of the secret values that were sent, then anything JWT-shaped.
std::string redact(std::string text, const FormFields& sent) {
  for (const auto& [name, value] : sent) {
    if (!util::is_secret_field(name, util::FieldContext::form) || value.size() < 4) continue;
    for (auto at = text.find(value); at != std::string::npos; at = text.find(value, at)) {
      text.replace(at, value.size(), "[redacted]");
    }
  }
  return redact_jwts(text);
}

}  // namespace

std::string form_encode(const FormFields& form) {
  std::string out;
  for (const auto& [name, value] : form) {
    if (!out.empty()) out += '&';
    out += util::percent_encode(name);
    out += '=';
    out += util::percent_encode(value);
  }
  return out;
}

std::chrono::system_clock::time_point expiry_after(std::chrono::system_clock::time_point now, std::int64_t seconds) {
  const std::int64_t limit = std::chrono::duration_cast<std::chrono::seconds>(k_max_token_lifetime).count();
  return now + std::chrono::seconds(std::clamp<std::int64_t>(seconds, 0, limit));
}

std::chrono::system_clock::time_point expiry_at(std::chrono::system_clock::time_point now, std::int64_t epoch) {
  const std::int64_t current = std::chrono::duration_cast<std::chrono::seconds>(now.time_since_epoch()).count();
  const std::int64_t limit = std::chrono::duration_cast<std::chrono::seconds>(k_max_token_lifetime).count();
  // Compared as numbers first: subtracting a far-off epoch from now could overflow too.
  if (epoch <= current) return now - std::chrono::seconds(std::min<std::int64_t>(current - epoch, limit));
  return expiry_after(now, epoch - current);
}

std::chrono::system_clock::time_point epoch_time(std::int64_t epoch) {
  constexpr std::int64_t k_year_2200 = 7'258'118'400;
  return std::chrono::system_clock::time_point(std::chrono::seconds(std::clamp<std::int64_t>(epoch, 0, k_year_2200)));
}

std::optional<std::int64_t> seconds_field(const json::object& object, std::string_view key) {
  const auto* v = object.if_contains(key);
  if (!v) return std::nullopt;
  if (v->is_int64()) return v->get_int64();
  if (v->is_uint64()) return static_cast<std::int64_t>(v->get_uint64());
  if (v->is_double() && std::isfinite(v->get_double())) {
    // Converting a double outside int64's range is undefined: clamp first.
    return static_cast<std::int64_t>(std::clamp(v->get_double(), -9.0e18, 9.0e18));
  }
  if (v->is_string()) {
    const std::string_view s = util::trim(v->get_string());
    std::int64_t value = 0;
    const auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), value);
    if (ec == std::errc{} && ptr == s.data() + s.size() && !s.empty()) return value;
  }
  return std::nullopt;
}

void throw_if_throttled(const http::Exchange& exchange, std::string_view what) {
  const auto& response = exchange.response;
  if (response.status != 429 && response.status != 503 && response.status != 504) return;
  Error error(ErrorKind::throttled,
              fmt::format("cannot {}: HTTP {}{}{} (throttled or unavailable{}{})", what, response.status,
                          response.reason.empty() ? "" : " ", response.reason,
                          exchange.gave_up.empty() ? "" : "; ", exchange.gave_up));
  error.http_status = response.status;
  error.client_request_id = exchange.client_request_id;
  throw error;
}

IdentityReply post_form(const AuthContext& ctx, const std::string& url, const FormFields& form) {
  http::Request request;
  request.method = "POST";
  request.url = url;
  request.headers = {{"Content-Type", "application/x-www-form-urlencoded"}};
  request.body = form_encode(form);
  // Not resent blind after a lost answer: a refresh token may have rotated, a device code may
  // have been redeemed. Throttling (429/503) means the platform did nothing, and is retried.
  const http::Exchange exchange = ctx.send(
      std::move(request), {"get a token from " + login_host(url), http::Idempotency::not_idempotent});
  const http::Response& response = exchange.response;
  IdentityReply reply;
  reply.status = response.status;
  reply.client_request_id = exchange.client_request_id;
  throw_if_throttled(exchange, "get a token from " + login_host(url));

  boost::system::error_code ec;
  json::value parsed = json::parse(response.body, ec);
  if (ec || !parsed.is_object()) {
    // The body is not shown: it is not the platform's JSON and may be anything.
    Error error(
        ErrorKind::auth,
        fmt::format("cannot get a token from {}: HTTP {}{}{} (the answer was not JSON)", login_host(url),
                    response.status, response.reason.empty() ? "" : " ", response.reason));
    error.http_status = response.status;
    error.client_request_id = reply.client_request_id;
    throw error;
  }
  reply.body = std::move(parsed.get_object());
  reply.error = util::string_at(reply.body, "error");
  reply.error_description = util::string_at(reply.body, "error_description");
  reply.trace_id = util::string_at(reply.body, "trace_id");
  reply.correlation_id = util::string_at(reply.body, "correlation_id");
  if (const auto* codes = reply.body.if_contains("error_codes"); codes && codes->is_array()) {
    for (const auto& c : codes->get_array()) {
      if (c.is_int64()) reply.error_codes.push_back(c.get_int64());
      if (c.is_uint64()) reply.error_codes.push_back(static_cast<std::int64_t>(c.get_uint64()));
    }
  }
  return reply;
}

Error identity_error(const std::string& url, const IdentityReply& reply, const FormFields& sent) {
  std::optional<std::int64_t> code;
  if (!reply.error_codes.empty()) code = reply.error_codes.front();
  if (!code) code = code_in_description(reply.error_description);
  const std::string aadsts = code ? fmt::format("AADSTS{}", *code) : std::string();

  std::string description = first_line(reply.error_description);
  // The description usually starts with its own "AADSTSnnn: "; the code is shown once.
  if (!aadsts.empty() && description.starts_with(aadsts) && description.size() > aadsts.size() &&
      description[aadsts.size()] == ':') {
    description = std::string(util::trim(std::string_view(description).substr(aadsts.size() + 1)));
  }
  std::string message = fmt::format("cannot get a token from {}: HTTP {}", login_host(url), reply.status);
  if (!reply.error.empty()) message += fmt::format(": {}", reply.error);
  if (!aadsts.empty()) message += fmt::format(" {}", aadsts);
  if (!description.empty()) message += fmt::format(": {}", description);
  if (reply.error.empty() && description.empty()) message += " (the answer had no error details)";
  if (!reply.trace_id.empty() || !reply.correlation_id.empty()) {
    message += fmt::format(" (trace ID {}, correlation ID {})", reply.trace_id.empty() ? "-" : reply.trace_id,
                           reply.correlation_id.empty() ? "-" : reply.correlation_id);
  }

  Error error(ErrorKind::auth, util::escape_controls(redact(std::move(message), sent)));
  error.http_status = reply.status;
  error.graph_code = aadsts;
  error.client_request_id = reply.client_request_id;
  if (code) error.hint = hint_for(*code);
  return error;
}

TokenResponse parse_token_response(const AuthContext& ctx, const std::string& url,
                                   const IdentityReply& reply) {
  TokenResponse token;
  token.access_token = util::string_at(reply.body, "access_token");
  if (token.access_token.empty()) {
    Error error(ErrorKind::auth,
                fmt::format("cannot get a token from {}: HTTP {}, but the answer has no access_token",
                            login_host(url), reply.status));
    error.http_status = reply.status;
    error.client_request_id = reply.client_request_id;
    throw error;
  }
  token.refresh_token = util::string_at(reply.body, "refresh_token");
  util::register_secret(token.access_token);
  util::register_secret(token.refresh_token);
  token.scope = util::string_at(reply.body, "scope");
  const auto now = ctx.now();
  if (const auto expires_in = seconds_field(reply.body, "expires_in")) {
    token.expires_on = expiry_after(now, *expires_in);
  } else if (const auto claims = decode_claims(token.access_token); claims && seconds_field(*claims, "exp")) {
    token.expires_on = expiry_at(now, *seconds_field(*claims, "exp"));
  } else {
    // No lifetime given: assume a short one rather than cache it for long.
    token.expires_on = now + std::chrono::minutes(5);
  }
  return token;
}

TokenResponse request_token_response(const AuthContext& ctx, const FormFields& form) {
  const std::string url = ctx.token_endpoint();
  const IdentityReply reply = post_form(ctx, url, form);
  if (!reply.ok()) throw identity_error(url, reply, form);
  return parse_token_response(ctx, url, reply);
}

AccessToken request_token(const AuthContext& ctx, const FormFields& form) {
  auto token = request_token_response(ctx, form);
  return {std::move(token.access_token), token.expires_on};
}

AccessToken request_token_with_assertion(const AuthContext& ctx, const std::string& assertion) {
  return request_token(ctx,
                       {{"client_id", ctx.client_id},
                        {"scope", ctx.cloud.default_scope()},
                        {"client_assertion_type", "urn:ietf:params:oauth:client-assertion-type:jwt-bearer"},
                        {"client_assertion", assertion},
                        {"grant_type", "client_credentials"}});
}

}  // namespace xtsync::auth
