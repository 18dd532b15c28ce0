// xtsync list-deleted: every soft-deleted policy, over all pages (beta).
#include "commands.hpp"
#include "help.hpp"
#include "render/policy_view.hpp"

namespace xtsync::cli {

Command setup_list_deleted(CLI::App& app) {
  auto* sub = app.add_subcommand("list-deleted", "List deleted sync policies (beta)");
  set_examples(*sub, {"xtsync list-deleted", "xtsync list-deleted -o json"});
  return {sub, [](Runtime& rt) {
            rt.require_deleted_items("list-deleted");
            // Written page by page as Graph answers: a long listing is never held in memory.
            render::PolicyListWriter writer(rt.globals.format, true, rt.table_style());
            rt.client().for_each_deleted([&](graph::Policy&& item) { rt.data(writer.add(item)); });
            rt.data(writer.finish());
            if (writer.empty() && rt.globals.format == render::Format::table) rt.note("No deleted sync policies found.");
          }};
}

}  // namespace xtsync::cli
