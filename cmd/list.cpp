// xtsync list: the sync policy of every partner that has one, from one paged read.
#include "commands.hpp"
#include "help.hpp"
#include "render/policy_view.hpp"

namespace xtsync::cli {

Command setup_list(CLI::App& app) {
  auto* sub = app.add_subcommand("list", "List the sync policy of every partner that has one");
  set_examples(*sub, {"xtsync list", "xtsync list -o tsv | cut -f1"});
  return {sub, [](Runtime& rt) {
            // Written page by page as Graph answers (JSON and TSV); a table comes at the end.
            render::PolicyListWriter writer(rt.globals.format, false, rt.table_style());
            rt.client().for_each_partner([&](graph::PartnerEntry&& partner) {
              if (partner.policy) rt.data(writer.add(*partner.policy));
            });
            rt.data(writer.finish());
            if (writer.empty() && rt.globals.format == render::Format::table) rt.note("No sync policies found.");
          }};
}

}  // namespace xtsync::cli
