// xtsync delete TENANT: soft delete, restorable for 30 days (beta).
#include "commands.hpp"
#include "help.hpp"

namespace xtsync::cli {

Command setup_delete(CLI::App& app) {
  auto* sub = app.add_subcommand("delete", "Delete the sync policy of a partner (restorable for 30 days)");
  set_examples(*sub, {"xtsync delete contoso.com", "xtsync delete contoso.com --ignore-not-found   # exit 0 when there is no policy"});
  auto tenant_arg = std::make_shared<std::string>();
  add_tenant_argument(*sub, *tenant_arg);
  return {sub, [tenant_arg](Runtime& rt) {
            const auto name = api::parse_partner_name(*tenant_arg);
            const std::string tenant = rt.resolve_partner(name);
            rt.client().delete_policy(tenant);
            rt.note("Deleted the sync policy of partner " + tenant + "." +
                    (rt.globals.beta() ? " Undo within 30 days with: xtsync restore " + tenant : ""));
          }};
}

}  // namespace xtsync::cli
