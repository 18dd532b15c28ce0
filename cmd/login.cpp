// xtsync login: interactive sign-in with a device code; the login is cached for later commands.
#include <fmt/chrono.h>
#include <fmt/format.h>
#include <boost/json.hpp>

#include "auth/cached_login.hpp"
#include "auth/device_code.hpp"
#include "auth/token_cache.hpp"
#include "commands.hpp"
#include "help.hpp"
#include "render/json_pretty.hpp"
#include "util/strings.hpp"

namespace xtsync::cli {

namespace {

// A tenant goes into the login URL's path: allow a GUID, a domain or organizations/common only.
void check_sign_in_tenant(const std::string& tenant) {
  const bool ok = !tenant.empty() && tenant.find_first_not_of(
                                         "abcdefghijklmnopqrstuvwxyz"
                                         "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.-") == std::string::npos;
  if (!ok)
    throw usage_error(
        fmt::format("'{}' is not a tenant ID or domain name (--tenant, AZURE_TENANT_ID)", tenant));
}

void run_login(Runtime& rt) {
  TransportStack transport(rt.globals, rt.ctx);
  auth::AuthContext actx = make_auth_context(rt.globals, rt.ctx, transport.get());
  if (actx.tenant.empty()) actx.tenant = "organizations";  // any work or school account
  check_sign_in_tenant(actx.tenant);
  actx.client_id = auth::public_client_id(actx);

  // Refuse an unsafe cache (symlink, someone else's) before the user goes through the sign-in.
  auth::TokenCache cache(auth::TokenCache::default_directory(actx.getenv));
  cache.load(actx.cloud.name, actx.tenant, actx.client_id);

  const auth::UserToken token = auth::sign_in_with_device_code(actx);
  auth::CachedLogin entry{actx.cloud.name,  token.tenant,        actx.client_id, token.access_token,
                          token.expires_on, token.refresh_token, token.scope,     {}};
  // Signed in by domain name: remember it (and the names of an earlier login to this tenant), so
  // --tenant contoso.onmicrosoft.com finds this login later as the tenant ID does.
  if (const auto earlier = cache.load(actx.cloud.name, token.tenant, actx.client_id).login) {
    entry.tenant_names = earlier->tenant_names;
  }
  if (!auth::is_any_tenant(actx.tenant) && !entry.answers_to(actx.tenant)) {
    entry.tenant_names.push_back(util::to_lower(actx.tenant));
  }
  const std::string path = cache.save(entry);

  for (const auto& warning : cache.take_warnings()) rt.note(fmt::format("warning: {}", warning));
  if (token.refresh_token.empty()) {
    rt.note(
        "warning: the identity platform issued no refresh token; run 'xtsync login' again when the access "
        "token "
        "expires");
  }
  rt.note(fmt::format("Signed in to tenant {} (cloud {}); the login is cached in {}.", token.tenant,
                      actx.cloud.name, path));
  if (rt.globals.format == render::Format::json) {
    // Same names and time format as `auth status -o json`.
    const auto expires = fmt::format("{:%Y-%m-%dT%H:%M:%SZ}",
                                     fmt::gmtime(std::chrono::system_clock::to_time_t(token.expires_on)));
    const boost::json::object out{{"tenant", token.tenant},
                                  {"cloud", actx.cloud.name},
                                  {"clientId", actx.client_id},
                                  {"expiresOn", expires}};
    rt.data(render::pretty_json(out));
  }
}

}  // namespace

Command setup_login(CLI::App& app) {
  auto* sub = app.add_subcommand("login", "Sign in interactively with a device code and cache the login");
  set_examples(*sub, {"xtsync login                                   # organizations: any work account",
                      "xtsync login --tenant contoso.onmicrosoft.com  # a domain works; later --tenant finds it either way",
                      "xtsync auth status                             # which login is used"});
  return {sub, [](Runtime& rt) { run_login(rt); }};
}

}  // namespace xtsync::cli
