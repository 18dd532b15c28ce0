// xtsync delete TENANT: soft delete, restorable for 30 days (beta).
#include "commands.hpp"
#include "help.hpp"

namespace xtsync::cli {

Command setup_delete(CLI::App& app) {
  auto* sub = app.add_subcommand("delete", "Delete the sync policy of a partner (restorable for 30 days)");
  set_examples(*sub, {"xtsync delete contoso.com", "xtsync delete contoso.com --ignore-not-found   # exit 0 when there is no policy"});
  auto tenant_arg = std::make_shared<std::string>();
  auto ignore_missing = std::make_shared<bool>(false);
  add_tenant_argument(*sub, *tenant_arg);
  sub->add_flag("--ignore-not-found", *ignore_missing, "Exit 0 when there is no policy to delete");
  return {sub, [tenant_arg, ignore_missing](Runtime& rt) {
            const auto name = api::parse_partner_name(*tenant_arg);
            const std::string tenant = rt.resolve_partner(name);
            try {
              rt.client().delete_policy(tenant);
            } catch (const Error& e) {
              if (!*ignore_missing || e.kind() != ErrorKind::not_found) throw;
              rt.note("No sync policy for partner " + tenant + "; nothing to delete.");
              return;
            }
            rt.note("Deleted the sync policy of partner " + tenant + "." +
                    (rt.globals.beta() ? " Undo within 30 days with: xtsync restore " + tenant : ""));
          }};
}

}  // namespace xtsync::cli
