// xtsync restore TENANT: bring a soft-deleted policy back (beta).
#include "commands.hpp"
#include "help.hpp"
#include "render/policy_view.hpp"

namespace xtsync::cli {

Command setup_restore(CLI::App& app) {
  auto* sub = app.add_subcommand("restore", "Restore a deleted sync policy (beta)");
  set_examples(*sub, {"xtsync list-deleted", "xtsync restore contoso.com"});
  auto tenant_arg = std::make_shared<std::string>();
  add_tenant_argument(*sub, *tenant_arg);
  return {sub, [tenant_arg](Runtime& rt) {
            const auto name = api::parse_partner_name(*tenant_arg);
            rt.require_deleted_items("restore");
            const std::string tenant = rt.resolve_partner(name);
            const auto policy = rt.client().restore_deleted(tenant);
            rt.data(render::policy(policy, rt.globals.format, false, rt.table_style()));
            rt.note("Restored the sync policy of partner " + tenant + ".");
          }};
}

}  // namespace xtsync::cli
