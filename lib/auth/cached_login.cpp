#include "auth/cached_login.hpp"

#include <fmt/format.h>

#include <utility>

#include "auth/device_code.hpp"
#include "auth/token_cache.hpp"
#include "error.hpp"
#include "util/strings.hpp"
#include "util/fd.hpp"
#include "util/redact.hpp"

namespace xtsync::auth {

namespace {

std::string login_command(const std::string& tenant) {
  return is_any_tenant(tenant) ? std::string("xtsync login") : fmt::format("xtsync login --tenant {}", tenant);
}

Error not_signed_in(const AuthContext& ctx, TokenCache& cache, const std::string& problem) {
  const std::string to_tenant = is_any_tenant(ctx.tenant) ? std::string() : fmt::format(" to tenant {}", ctx.tenant);
  const std::string why = problem.empty() ? std::string() : fmt::format(": {}", problem);
  Error e(ErrorKind::auth, fmt::format("not signed in{} (cloud {}){}: run '{}'", to_tenant, ctx.cloud.name, why,
                                       login_command(ctx.tenant)));
  std::string others;
  try {
    others = describe_cached_logins(cache);
  } catch (const Error&) {
    // An unreadable cache was reported by the lookup already; the hint just says less.
  }
  e.hint = others.empty() ? "there are no cached logins" : "cached logins: " + others;
  if (is_any_tenant(ctx.tenant)) e.hint += "; 'xtsync login --tenant TENANT' signs in to one tenant";
  e.hint += fmt::format("; logins are cached in {}", cache.directory());
  return e;
}

// A refused refresh: the user must sign in again (the refresh token expired, was revoked, or
// the tenant now wants MFA), unless the error itself says otherwise.
Error refresh_refused(const Error& cause, const CachedLogin& login) {
  const bool stale = cause.graph_code == "invalid_grant" || cause.graph_code == "interaction_required";
  Error e(ErrorKind::auth, fmt::format("the cached login for tenant {} {}: {}", login.tenant,
                                       stale ? "is no longer valid" : "could not be renewed", cause.what()));
  e.http_status = cause.http_status;
  e.graph_code = cause.graph_code;
  e.hint = cause.hint.empty() || stale ? fmt::format("run '{}' again", login_command(login.tenant)) : cause.hint;
  return e;
}

}  // namespace

bool is_any_tenant(const std::string& tenant) {
  return tenant.empty() || util::iequals(tenant, "organizations") || util::iequals(tenant, "common");
}

std::string describe_cached_logins(TokenCache& cache) {
  std::string text;
  for (const auto& entry : cache.list()) {
    if (!entry.login) continue;
    std::string names;
    for (const auto& name : entry.login->tenant_names) names.append(name).append(", ");
    text.append(text.empty() ? "" : "; ")
        .append(fmt::format("{} ({}cloud {})", entry.login->tenant, names, entry.login->cloud));
  }
  return text;
}

CacheLookup find_cached_login(TokenCache& cache, const AuthContext& ctx) {
  return is_any_tenant(ctx.tenant) ? cache.load_last(ctx.cloud.name)
                                   : cache.find(ctx.cloud.name, ctx.tenant, public_client_id(ctx));
}

CachedLoginCredential::CachedLoginCredential(AuthContext ctx, std::string cache_directory)
    : ctx_(std::move(ctx)), directory_(std::move(cache_directory)) {}

AccessToken CachedLoginCredential::get_token() {
  if (directory_.empty()) directory_ = TokenCache::default_directory(ctx_.getenv);
  TokenCache cache(directory_);
  const CacheLookup lookup = find_cached_login(cache, ctx_);
  for (auto& warning : cache.take_warnings()) warnings_.push_back(std::move(warning));
  if (!lookup.login) throw not_signed_in(ctx_, cache, lookup.problem);
  CachedLogin login = *lookup.login;
  util::register_secret(login.access_token);
  util::register_secret(login.refresh_token);

  if (!force_refresh_ && !login.access_token.empty() && login.expires_on - ctx_.now() > k_refresh_margin) {
    return {login.access_token, login.expires_on};
  }
  if (login.refresh_token.empty()) {
    Error e(ErrorKind::auth, fmt::format("the cached login for tenant {} has expired and cannot be renewed", login.tenant));
    e.hint = fmt::format("run '{}' again", login_command(login.tenant));
    throw e;
  }

  // One refresh at a time per login: another xtsync may be redeeming (and rotating) the same
  // refresh token right now. Once the lock is ours, the file may already hold its result.
  const util::Fd held = cache.lock(login);
  const std::string used_before = login.access_token;
  if (auto reread = cache.load(login.cloud, login.tenant, login.client_id).login) {
    login = *reread;
    util::register_secret(login.refresh_token);
    const bool renewed_meanwhile = login.access_token != used_before || !force_refresh_;
    if (renewed_meanwhile && !login.access_token.empty() && login.expires_on - ctx_.now() > k_refresh_margin) {
      force_refresh_ = false;
      return {login.access_token, login.expires_on};
    }
  }

  AuthContext refresh = ctx_;
  refresh.client_id = login.client_id;  // a refresh token is bound to the client it was issued to
  const std::string scope = login.scope.empty() ? delegated_scope(ctx_.cloud) : login.scope;
  UserToken token;
  try {
    token = redeem_refresh_token(refresh, login.tenant, login.refresh_token, scope);
  } catch (const Error& e) {
    if (e.kind() != ErrorKind::auth) throw;
    // A refresh token rotated by a process that did not lock (an older xtsync): use the file's.
    const auto again = cache.load(login.cloud, login.tenant, login.client_id).login;
    if (e.graph_code != "invalid_grant" || !again || again->refresh_token == login.refresh_token) {
      throw refresh_refused(e, login);
    }
    login = *again;
    try {
      token = redeem_refresh_token(refresh, login.tenant, login.refresh_token, scope);
    } catch (const Error& retry) {
      if (retry.kind() != ErrorKind::auth) throw;
      throw refresh_refused(retry, login);
    }
  }
  login.access_token = token.access_token;
  login.expires_on = token.expires_on;
  login.refresh_token = token.refresh_token;  // rotated: the old one may stop working
  cache.save(login, /*remember_as_last=*/false);
  force_refresh_ = false;
  for (auto& warning : cache.take_warnings()) warnings_.push_back(std::move(warning));
  return {login.access_token, login.expires_on};
}

std::vector<std::string> CachedLoginCredential::take_warnings() { return std::exchange(warnings_, {}); }

}  // namespace xtsync::auth
