// The subcommands. Each file registers one with CLI11 and says what it does once the
// arguments are parsed; run.cpp dispatches and maps errors to exit codes.
#pragma once

#include <CLI/CLI.hpp>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "api/partner.hpp"
#include "context.hpp"
#include "render/table.hpp"
#include "error.hpp"
#include "options.hpp"
#include "session.hpp"

namespace xtsync::cli {

// What a running command can use: the process context, the global options and, built on
// first use, the Graph session.
class Runtime {
 public:
  Runtime(Context& context, GlobalOptions& options) : ctx(context), globals(options) {}

  Context& ctx;
  GlobalOptions& globals;
  // What the process exits with when the command returns normally (apply: 8, or the first
  // failed partner's code); errors thrown are mapped in run.cpp instead.
  int exit_status = 0;

  graph::Client& client();
  Session& session();
  // How tables look here: fitted to a terminal's width and colored only when stdout is a
  // terminal (and color is not turned off by --no-color, NO_COLOR or TERM=dumb).
  render::TableStyle table_style() const;
  // Color on a stream that is a terminal, unless --no-color, NO_COLOR or TERM=dumb.
  bool color_allowed(bool is_terminal) const;
  // Data for scripts: stdout.
  void data(const std::string& text) const;
  // A message for people: stderr, unless --quiet.
  void note(const std::string& text) const;
  // The partner a command names, as a tenant ID: a domain name is resolved through Graph
  // (once per command) and the result noted on stderr. Check the syntax with
  // api::parse_partner_name first, before anything needs credentials.
  std::string resolve_partner(const api::PartnerName& name);
  // Deleted items are beta-only everywhere and documented for the global cloud only: refuse
  // them under v1.0 (nothing sent) and warn in national clouds, where Graph may not serve them.
  void require_deleted_items(const std::string& what) const;

 private:
  std::unique_ptr<Session> session_;
  std::unique_ptr<api::PartnerResolver> partners_;
};

struct Command {
  CLI::App* app;
  std::function<void(Runtime&)> run;
};

Command setup_get(CLI::App& app);
Command setup_set(CLI::App& app);
Command setup_delete(CLI::App& app);
Command setup_restore(CLI::App& app);
Command setup_apply(CLI::App& app);
Command setup_export(CLI::App& app);
Command setup_list(CLI::App& app);
Command setup_list_deleted(CLI::App& app);
Command setup_purge(CLI::App& app);
Command setup_auth_status(CLI::App& app);
Command setup_login(CLI::App& app);
Command setup_logout(CLI::App& app);
// `app` is the root: the completion scripts are generated from the whole tree.
Command setup_completion(CLI::App& app);

// Adds the PARTNER positional (tenant ID or domain name) to a subcommand.
CLI::Option* add_tenant_argument(CLI::App& sub, std::string& tenant);

}  // namespace xtsync::cli
