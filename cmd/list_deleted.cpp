// xtsync list-deleted: every soft-deleted policy, over all pages (beta).
#include "commands.hpp"
#include "render/policy_view.hpp"

namespace xtsync::cli {

Command setup_list_deleted(CLI::App& app) {
  auto* sub = app.add_subcommand("list-deleted", "List deleted sync policies (beta)");
  return {sub, [](Runtime& rt) {
            rt.require_deleted_items("list-deleted");
            const auto items = rt.client().list_deleted();
            rt.data(render::policies(items, rt.globals.format, true));
          }};
}

}  // namespace xtsync::cli
