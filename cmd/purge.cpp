// xtsync purge TENANT: permanent delete of a soft-deleted policy, after confirmation.
#include <istream>
#include <ostream>

#include "commands.hpp"
#include "help.hpp"
#include "util/interrupt.hpp"
#include "util/strings.hpp"

namespace xtsync::cli {

namespace {

// Asks on the terminal; anything but y/yes cancels.
void confirm_purge(Runtime& rt, const std::string& tenant, bool yes) {
  if (yes) return;
  if (!rt.ctx.stdin_is_terminal()) {
    throw usage_error("refusing to purge without confirmation: standard input is not a terminal; pass --yes");
  }
  rt.ctx.err << "Permanently delete the sync policy of partner " << tenant
             << "? This cannot be undone. [y/N] ";
  rt.ctx.err.flush();
  std::string answer;
  std::getline(rt.ctx.in, answer);
  // Ctrl-C at the prompt ends the read too; it is an interrupt, not a "no".
  if (util::interrupt_requested()) {
    throw Error(ErrorKind::interrupted, "interrupted at the confirmation prompt; nothing was deleted");
  }
  const auto reply = util::to_lower(util::trim(answer));
  if (reply != "y" && reply != "yes") throw usage_error("purge cancelled; nothing was deleted");
}

}  // namespace

Command setup_purge(CLI::App& app) {
  auto* sub =
      app.add_subcommand("purge", "Permanently delete a deleted sync policy (beta; cannot be undone)");
  set_examples(*sub, {"xtsync purge contoso.com", "xtsync purge contoso.com --yes --ignore-not-found"});
  struct PurgeOptions {
    std::string tenant;
    bool yes = false;
    bool ignore_missing = false;
  };
  auto opt = std::make_shared<PurgeOptions>();
  add_tenant_argument(*sub, opt->tenant);
  sub->add_flag("-y,--yes", opt->yes, "Do not ask for confirmation");
  sub->add_flag("--ignore-not-found", opt->ignore_missing, "Exit 0 when there is no deleted policy to purge");
  return {sub, [opt](Runtime& rt) {
            const auto name = api::parse_partner_name(opt->tenant);
            rt.require_deleted_items("purge");
            const std::string tenant = rt.resolve_partner(name);
            auto& client = rt.client();  // credentials first, so a missing one fails before the prompt
            confirm_purge(rt, tenant, opt->yes);
            try {
              client.purge_deleted(tenant);
            } catch (const Error& e) {
              if (!opt->ignore_missing || e.kind() != ErrorKind::not_found) throw;
              rt.note("No deleted sync policy for partner " + tenant + "; nothing to purge.");
              return;
            }
            rt.note("Permanently deleted the sync policy of partner " + tenant + ".");
          }};
}

}  // namespace xtsync::cli
