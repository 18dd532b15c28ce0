#include "auth/device_code.hpp"

#include <algorithm>
#include <boost/json.hpp>
#include <fmt/format.h>
#include <ostream>
#include <thread>
#include <vector>

#include "error.hpp"
#include "util/guid.hpp"
#include "util/strings.hpp"

namespace xtsync::auth {

namespace json = boost::json;
using namespace std::chrono_literals;

namespace {

// ---- A small form POST to the identity platform, and its JSON answer. ----
// (Kept here so sign-in does not wait on token_endpoint.cpp; the two may merge later.)

using Fields = std::vector<std::pair<std::string_view, std::string_view>>;

// application/x-www-form-urlencoded: unreserved characters as they are, the rest %XX.
void append_encoded(std::string& out, std::string_view text) {
  static constexpr char hex[] = "0123456789ABCDEF";
  for (char c : text) {
    const bool unreserved = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
                            c == '-' || c == '.' || c == '_' || c == '~';
    if (unreserved) {
      out += c;
    } else {
      const auto u = static_cast<unsigned char>(c);
      out += '%';
      out += hex[u >> 4];
      out += hex[u & 0x0f];
    }
  }
}

std::string form_encode(const Fields& fields) {
  std::string out;
  for (const auto& [name, value] : fields) {
    if (!out.empty()) out += '&';
    append_encoded(out, name);
    out += '=';
    append_encoded(out, value);
  }
  return out;
}

struct Reply {
  int status = 0;
  json::object body;   // empty when the body was not a JSON object
};

Reply post_form(const AuthContext& ctx, const std::string& url, const Fields& fields) {
  if (!ctx.transport) throw std::logic_error("AuthContext has no transport");
  http::Request request;
  request.method = "POST";
  request.url = url;
  request.headers = {{"Content-Type", "application/x-www-form-urlencoded"},
                     {"Accept", "application/json"},
                     {"client-request-id", util::new_guid()}};
  request.body = form_encode(fields);
  const http::Response response = ctx.transport->send(request);
  Reply reply;
  reply.status = response.status;
  boost::system::error_code ec;
  json::value parsed = json::parse(response.body, ec);
  if (!ec && parsed.is_object()) reply.body = std::move(parsed.get_object());
  return reply;
}

std::string string_at(const json::object& o, std::string_view key) {
  const auto* v = o.if_contains(key);
  return v && v->is_string() ? std::string(v->get_string()) : std::string();
}

// Seconds as a JSON number or a numeric string (older endpoints send strings).
std::optional<long long> seconds_at(const json::object& o, std::string_view key) {
  const auto* v = o.if_contains(key);
  if (!v) return std::nullopt;
  if (v->is_int64()) return v->get_int64();
  if (v->is_uint64()) return static_cast<long long>(v->get_uint64());
  if (v->is_double()) return static_cast<long long>(v->get_double());
  if (v->is_string()) {
    const std::string text(v->get_string());
    if (!text.empty() && std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; }) &&
        text.size() < 12) {
      return std::stoll(text);
    }
  }
  return std::nullopt;
}

// ---- Identity-platform errors: {"error","error_description","error_codes",…} ----

struct PlatformError {
  std::string error;        // e.g. "invalid_grant"
  std::string description;  // first line, without the AADSTS prefix
  std::string aadsts;       // e.g. "AADSTS70000"
  std::string trace_id;
  std::string correlation_id;
};

PlatformError platform_error(const Reply& reply) {
  PlatformError e;
  e.error = string_at(reply.body, "error");
  std::string description = string_at(reply.body, "error_description");
  description = description.substr(0, description.find_first_of("\r\n"));
  if (description.starts_with("AADSTS")) {
    const auto colon = description.find(':');
    e.aadsts = description.substr(0, colon);
    if (colon != std::string::npos) description = std::string(util::trim(std::string_view(description).substr(colon + 1)));
  }
  e.description = std::move(description);
  if (const auto* codes = reply.body.if_contains("error_codes"); codes && codes->is_array() && !codes->get_array().empty()) {
    const auto& first = codes->get_array().front();
    if (first.is_int64()) e.aadsts = fmt::format("AADSTS{}", first.get_int64());
  }
  e.trace_id = string_at(reply.body, "trace_id");
  e.correlation_id = string_at(reply.body, "correlation_id");
  return e;
}

// What to do about the failures users can fix themselves.
std::string hint_for(const std::string& aadsts) {
  if (aadsts == "AADSTS7000218") {
    return "the app registration must allow public client flows (Authentication > Allow public client flows), "
           "or omit --client-id to use xtsync's default client";
  }
  if (aadsts == "AADSTS65001") {
    return "an administrator must consent Policy.ReadWrite.CrossTenantAccess for this client in the tenant";
  }
  if (aadsts == "AADSTS700016") return "check --client-id (AZURE_CLIENT_ID) and --tenant (AZURE_TENANT_ID)";
  if (aadsts == "AADSTS90002" || aadsts == "AADSTS900023") return "check --tenant (AZURE_TENANT_ID)";
  return {};
}

// "<what>: AADSTSn: description (trace ID …, correlation ID …)", error code in graph_code.
Error auth_failure(const std::string& what, const Reply& reply) {
  const PlatformError p = platform_error(reply);
  std::string message = what;
  message += ": ";
  if (p.error.empty()) {
    message += "the identity platform answered HTTP ";
    message += std::to_string(reply.status);
    message += " without an OAuth error";
  } else {
    if (!p.aadsts.empty()) {
      message += p.aadsts;
      message += ": ";
    }
    message += p.description.empty() ? p.error : p.description;
  }
  if (!p.trace_id.empty() || !p.correlation_id.empty()) {
    message += " (trace ID ";
    message += p.trace_id.empty() ? "-" : p.trace_id;
    message += ", correlation ID ";
    message += p.correlation_id.empty() ? "-" : p.correlation_id;
    message += ')';
  }
  Error error(ErrorKind::auth, message);
  error.http_status = reply.status;
  error.graph_code = p.error;
  error.hint = hint_for(p.aadsts);
  return error;
}

// ---- The tenant an access token was issued by (its tid claim), if it reads as a JWT. ----

std::optional<std::string> base64url_decode(std::string_view in) {
  std::string out;
  unsigned buffer = 0;
  int bits = 0;
  for (char c : in) {
    int v;
    if (c >= 'A' && c <= 'Z') v = c - 'A';
    else if (c >= 'a' && c <= 'z') v = c - 'a' + 26;
    else if (c >= '0' && c <= '9') v = c - '0' + 52;
    else if (c == '-' || c == '+') v = 62;
    else if (c == '_' || c == '/') v = 63;
    else if (c == '=') break;
    else return std::nullopt;
    buffer = (buffer << 6) | static_cast<unsigned>(v);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out += static_cast<char>((buffer >> bits) & 0xff);
    }
  }
  return out;
}

std::optional<std::string> tid_claim(const std::string& jwt) {
  const auto first = jwt.find('.');
  const auto second = jwt.find('.', first == std::string::npos ? first : first + 1);
  if (first == std::string::npos || second == std::string::npos) return std::nullopt;
  const auto payload = base64url_decode(std::string_view(jwt).substr(first + 1, second - first - 1));
  if (!payload) return std::nullopt;
  boost::system::error_code ec;
  const json::value claims = json::parse(*payload, ec);
  if (ec || !claims.is_object()) return std::nullopt;
  std::string tid = string_at(claims.get_object(), "tid");
  if (tid.empty()) return std::nullopt;
  return tid;
}

UserToken token_from(const AuthContext& ctx, const Reply& reply, const std::string& tenant, const std::string& scope) {
  UserToken token;
  token.access_token = string_at(reply.body, "access_token");
  if (token.access_token.empty()) {
    throw Error(ErrorKind::auth, "the identity platform's token response has no access_token");
  }
  const auto expires_in = seconds_at(reply.body, "expires_in").value_or(3600);
  token.expires_on = ctx.now() + std::chrono::seconds(expires_in);
  token.refresh_token = string_at(reply.body, "refresh_token");
  token.scope = scope;
  token.tenant = tid_claim(token.access_token).value_or(tenant);
  return token;
}

std::string endpoint(const AuthContext& ctx, const std::string& tenant, std::string_view leaf) {
  std::string url = ctx.cloud.authority_host;
  url += '/';
  url += tenant;
  url += "/oauth2/v2.0/";
  url += leaf;
  return url;
}

void pause(const AuthContext& ctx, std::chrono::seconds how_long) {
  if (ctx.sleep) {
    ctx.sleep(how_long);
  } else {
    std::this_thread::sleep_for(how_long);
  }
}

constexpr std::string_view kDeviceCodeGrant = "urn:ietf:params:oauth:grant-type:device_code";

}  // namespace

std::string public_client_id(const AuthContext& ctx) {
  return ctx.client_id.empty() ? std::string(kDefaultPublicClientId) : ctx.client_id;
}

std::string delegated_scope(const Cloud& cloud) {
  std::string scope = cloud.graph_root;
  scope += "/Policy.ReadWrite.CrossTenantAccess offline_access";
  return scope;
}

UserToken sign_in_with_device_code(const AuthContext& ctx) {
  const std::string tenant = ctx.tenant.empty() ? std::string("organizations") : ctx.tenant;
  const std::string client_id = public_client_id(ctx);
  const std::string scope = delegated_scope(ctx.cloud);

  const Reply code = post_form(ctx, endpoint(ctx, tenant, "devicecode"), {{"client_id", client_id}, {"scope", scope}});
  if (code.status != 200) throw auth_failure("could not start the sign-in", code);
  const std::string device_code = string_at(code.body, "device_code");
  if (device_code.empty()) throw Error(ErrorKind::auth, "could not start the sign-in: the answer has no device_code");

  std::string message = string_at(code.body, "message");
  if (message.empty()) {
    message = "To sign in, use a web browser to open the page ";
    message += string_at(code.body, "verification_uri");
    message += " and enter the code ";
    message += string_at(code.body, "user_code");
    message += " to authenticate.";
  }
  if (ctx.err) *ctx.err << message << std::endl;

  // RFC 8628 defaults: 5 s between polls; Microsoft's codes live 15 minutes.
  auto interval = std::chrono::seconds(std::max(1LL, seconds_at(code.body, "interval").value_or(5)));
  const auto lifetime = std::chrono::seconds(seconds_at(code.body, "expires_in").value_or(900));
  const auto started = ctx.now();
  std::chrono::seconds slept{0};  // counts too, so a frozen test clock still ends the loop
  const auto expired = [&] {
    return slept >= lifetime || ctx.now() - started >= lifetime;
  };

  while (true) {
    pause(ctx, interval);
    slept += interval;
    const Reply poll = post_form(ctx, endpoint(ctx, tenant, "token"),
                                 {{"grant_type", kDeviceCodeGrant}, {"client_id", client_id}, {"device_code", device_code}});
    if (poll.status == 200) return token_from(ctx, poll, tenant, scope);
    const std::string error = string_at(poll.body, "error");
    if (error == "authorization_pending" || error == "slow_down") {
      // slow_down (RFC 8628 §3.5): 5 s more for this and every later poll.
      if (error == "slow_down") interval += 5s;
      if (expired()) break;
      continue;
    }
    if (error == "expired_token") break;
    if (error == "authorization_declined" || error == "access_denied") {
      Error declined(ErrorKind::auth, "sign-in was declined");
      declined.graph_code = error;
      declined.hint = "run 'xtsync login' again and approve the request";
      throw declined;
    }
    throw auth_failure("sign-in failed", poll);
  }
  Error expired_error(ErrorKind::auth, "the sign-in code expired before the sign-in was completed");
  expired_error.hint = fmt::format("run 'xtsync login' again and enter the code within {} minutes", lifetime.count() / 60);
  throw expired_error;
}

UserToken redeem_refresh_token(const AuthContext& ctx, const std::string& tenant, const std::string& refresh_token,
                               const std::string& scope) {
  const std::string client_id = public_client_id(ctx);
  const Reply reply = post_form(ctx, endpoint(ctx, tenant, "token"),
                                {{"grant_type", "refresh_token"},
                                 {"client_id", client_id},
                                 {"refresh_token", refresh_token},
                                 {"scope", scope}});
  if (reply.status != 200) throw auth_failure("could not renew the cached login", reply);
  UserToken token = token_from(ctx, reply, tenant, scope);
  if (token.refresh_token.empty()) token.refresh_token = refresh_token;
  return token;
}

}  // namespace xtsync::auth
