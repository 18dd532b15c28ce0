#include "auth/device_code.hpp"

#include <fmt/format.h>
#include <algorithm>
#include <boost/json.hpp>
#include <cstdint>
#include <ostream>
#include <thread>

#include "auth/jwt.hpp"
#include "auth/token_endpoint.hpp"
#include "error.hpp"
#include "util/json_fields.hpp"
#include "util/terminal_text.hpp"
#include "util/redact.hpp"

namespace xtsync::auth {

namespace json = boost::json;
using namespace std::chrono_literals;

namespace {

// "<what>: <identity_error()>": the shared message (AADSTS code, trace and correlation IDs,
// sent secrets redacted) and hint, with the OAuth error ("invalid_grant") in graph_code as
// device_code.hpp promises and cached_login.cpp relies on.
Error failure(std::string_view what, const std::string& url, const IdentityReply& reply,
              const FormFields& sent) {
  const Error shared = identity_error(url, reply, sent);
  Error error(ErrorKind::auth, fmt::format("{}: {}", what, shared.what()));
  error.http_status = shared.http_status;
  error.client_request_id = shared.client_request_id;
  error.hint = shared.hint;
  error.graph_code = reply.error;
  return error;
}

UserToken token_from(const AuthContext& ctx, const std::string& url, const IdentityReply& reply,
                     const std::string& tenant, const std::string& scope) {
  TokenResponse response = parse_token_response(ctx, url, reply);
  UserToken token;
  token.tenant = tenant;  // unless the access token reads as a JWT with a tid claim
  if (const auto claims = decode_claims(response.access_token)) {
    if (std::string tid = util::string_at(*claims, "tid"); !tid.empty()) token.tenant = std::move(tid);
  }
  token.access_token = std::move(response.access_token);
  token.expires_on = response.expires_on;
  token.refresh_token = std::move(response.refresh_token);
  token.scope = scope;
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

constexpr char k_device_code_grant[] = "urn:ietf:params:oauth:grant-type:device_code";

}  // namespace

std::string public_client_id(const AuthContext& ctx) {
  return ctx.client_id.empty() ? std::string(k_default_public_client_id) : ctx.client_id;
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

  const std::string code_url = endpoint(ctx, tenant, "devicecode");
  const FormFields code_form = {{"client_id", client_id}, {"scope", scope}};
  const IdentityReply code = post_form(ctx, code_url, code_form);
  if (!code.ok()) throw failure("could not start the sign-in", code_url, code, code_form);
  const std::string device_code = util::string_at(code.body, "device_code");
  util::register_secret(device_code);
  if (device_code.empty())
    throw Error(ErrorKind::auth, "could not start the sign-in: the answer has no device_code");

  std::string message = util::string_at(code.body, "message");
  if (message.empty()) {
    message = "To sign in, use a web browser to open the page ";
    message += util::string_at(code.body, "verification_uri");
    message += " and enter the code ";
    message += util::string_at(code.body, "user_code");
    message += " to authenticate.";
  }
  // The service's words, shown to a person: escaped so they cannot drive the terminal.
  if (ctx.err) *ctx.err << util::escape_controls(message) << std::endl;

  // RFC 8628 defaults: 5 s between polls; Microsoft's codes live 15 minutes.
  // Clamped: a server asking to poll once an hour, or for ever, would hang the sign-in.
  auto interval = std::chrono::seconds(std::clamp<std::int64_t>(seconds_field(code.body, "interval").value_or(5), 1, 60));
  const auto lifetime =
      std::chrono::seconds(std::clamp<std::int64_t>(seconds_field(code.body, "expires_in").value_or(900), 1, 3600));
  const auto started = ctx.now();
  std::chrono::seconds slept{0};  // counts too, so a frozen test clock still ends the loop
  const auto expired = [&] { return slept >= lifetime || ctx.now() - started >= lifetime; };

  const std::string token_url = endpoint(ctx, tenant, "token");
  const FormFields poll_form = {
      {"grant_type", k_device_code_grant}, {"client_id", client_id}, {"device_code", device_code}};
  while (true) {
    pause(ctx, interval);
    slept += interval;
    const IdentityReply poll = post_form(ctx, token_url, poll_form);
    if (poll.ok()) return token_from(ctx, token_url, poll, tenant, scope);
    if (poll.error == "authorization_pending" || poll.error == "slow_down") {
      // slow_down (RFC 8628 §3.5): 5 s more for this and every later poll.
      if (poll.error == "slow_down") interval = std::min(interval + 5s, std::chrono::seconds(120));
      if (expired()) break;
      continue;
    }
    if (poll.error == "expired_token") break;
    if (poll.error == "authorization_declined" || poll.error == "access_denied") {
      Error declined(ErrorKind::auth, "sign-in was declined");
      declined.graph_code = poll.error;
      declined.hint = "run 'xtsync login' again and approve the request";
      throw declined;
    }
    throw failure("sign-in failed", token_url, poll, poll_form);
  }
  Error expired_error(ErrorKind::auth, "the sign-in code expired before the sign-in was completed");
  expired_error.hint =
      fmt::format("run 'xtsync login' again and enter the code within {} minutes", lifetime.count() / 60);
  throw expired_error;
}

UserToken redeem_refresh_token(const AuthContext& ctx, const std::string& tenant,
                               const std::string& refresh_token, const std::string& scope) {
  const std::string url = endpoint(ctx, tenant, "token");
  const FormFields form = {{"grant_type", "refresh_token"},
                           {"client_id", public_client_id(ctx)},
                           {"refresh_token", refresh_token},
                           {"scope", scope}};
  const IdentityReply reply = post_form(ctx, url, form);
  if (!reply.ok()) throw failure("could not renew the cached login", url, reply, form);
  UserToken token = token_from(ctx, url, reply, tenant, scope);
  if (token.refresh_token.empty()) token.refresh_token = refresh_token;
  return token;
}

}  // namespace xtsync::auth
