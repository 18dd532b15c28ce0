// xtsync logout [--all]: forget logins cached by `xtsync login`.
#include <fmt/format.h>

#include "auth/cached_login.hpp"
#include "auth/device_code.hpp"
#include "auth/token_cache.hpp"
#include "commands.hpp"
#include "help.hpp"
#include "util/strings.hpp"

namespace xtsync::cli {

namespace {

void run_logout(Runtime& rt, bool all) {
  const GlobalOptions& g = rt.globals;
  auth::TokenCache cache(auth::TokenCache::default_directory(rt.ctx.getenv));
  const bool any_tenant = auth::is_any_tenant(g.tenant);

  // Which files to remove: everything, the tenant's logins in this cloud (any client unless
  // --client-id narrows it), or the cloud's last login.
  std::vector<auth::CacheLookup> chosen;
  if (!all && any_tenant) {
    auto last = cache.load_last(g.cloud);
    if (last.login || !last.problem.empty()) chosen.push_back(std::move(last));
  } else {
    const std::string exact =
        any_tenant
            ? std::string()
            : cache.path_for(g.cloud, g.tenant,
                             g.client_id.empty() ? std::string(auth::k_default_public_client_id) : g.client_id);
    for (auto& entry : cache.list()) {
      const bool match =
          all ||
          (entry.login && entry.login->cloud == g.cloud && entry.login->answers_to(g.tenant) &&
           (g.client_id.empty() || util::iequals(entry.login->client_id, g.client_id))) ||
          entry.path == exact;
      if (match) chosen.push_back(std::move(entry));
    }
  }

  for (const auto& warning : cache.take_warnings()) rt.note(fmt::format("warning: {}", warning));
  if (chosen.empty()) {
    rt.note(all          ? std::string("No cached logins; nothing to remove.")
            : any_tenant ? fmt::format("No cached login in cloud {}; nothing to remove.", g.cloud)
                         : fmt::format("No cached login for tenant {} (cloud {}); nothing to remove.",
                                       g.tenant, g.cloud));
    return;
  }
  for (const auto& entry : chosen) {
    if (!cache.remove(entry.path)) continue;
    rt.note(entry.login ? fmt::format("Removed the cached login for tenant {} (cloud {}): {}",
                                      entry.login->tenant, entry.login->cloud, entry.path)
                        : fmt::format("Removed the unusable cached login {}", entry.path));
  }
}

}  // namespace

Command setup_logout(CLI::App& app) {
  auto* sub = app.add_subcommand("logout", "Remove logins cached by 'xtsync login'");
  set_examples(*sub, {"xtsync logout                    # the cloud's last login",
                      "xtsync logout --tenant contoso.com",
                      "xtsync logout --all"});
  auto all = std::make_shared<bool>(false);
  sub->add_flag("--all", *all, "Remove every cached login, in every cloud and tenant");
  return {sub, [all](Runtime& rt) { run_logout(rt, *all); }};
}

}  // namespace xtsync::cli
