// xtsync get TENANT [--deleted]
#include "commands.hpp"
#include "help.hpp"
#include "render/policy_view.hpp"

namespace xtsync::cli {

Command setup_get(CLI::App& app) {
  auto* sub = app.add_subcommand("get", "Show the sync policy of a partner tenant");
  set_examples(*sub, {"xtsync get 9c5d131d-b1c3-4fc4-9e3f-c6557947d551", "xtsync get contoso.com -o json", "xtsync get contoso.com --deleted          # its soft-deleted copy"});
  struct GetOptions {
    std::string tenant;
    bool deleted = false;
  };
  auto opt = std::make_shared<GetOptions>();
  add_tenant_argument(*sub, opt->tenant);
  sub->add_flag("--deleted", opt->deleted, "Show the soft-deleted policy from deleted items (beta)");
  return {sub, [opt](Runtime& rt) {
            const auto name = api::parse_partner_name(opt->tenant);
            if (opt->deleted) rt.require_deleted_items("get --deleted");
            const std::string tenant = rt.resolve_partner(name);
            auto& client = rt.client();
            const auto policy = opt->deleted ? client.get_deleted(tenant) : client.get_policy(tenant);
            rt.data(render::policy(policy, rt.globals.format, opt->deleted, rt.table_style()));
          }};
}

}  // namespace xtsync::cli
