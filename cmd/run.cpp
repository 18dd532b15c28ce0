#include <fmt/format.h>

#include <ostream>

#include "commands.hpp"
#include "error.hpp"

namespace xtsync::cli {

namespace {

// The one place where failures become messages and exit codes.
int report_error(const Error& e, Context& ctx, bool color) {
  const char* red = color ? "\033[31m" : "";
  const char* reset = color ? "\033[0m" : "";
  ctx.err << red << "error:" << reset << ' ' << e.what() << '\n';
  if (!e.graph_code.empty() || !e.request_id.empty()) {
    std::string details;
    if (!e.graph_code.empty()) details += "code " + e.graph_code;
    if (!e.request_id.empty())
      details += (details.empty() ? "" : ", ") + std::string("request-id ") + e.request_id;
    if (!e.client_request_id.empty()) details += ", client-request-id " + e.client_request_id;
    ctx.err << "  " << details << '\n';
  }
  if (!e.hint.empty()) ctx.err << "hint: " << e.hint << '\n';
  return exit_code(e.kind());
}

// Data that did not reach stdout (a full disk, a closed pipe) is a failure, not success.
void finish_output(Context& ctx) {
  ctx.out.flush();
  if (!ctx.out) throw Error(ErrorKind::failure, "cannot write to standard output");
}

}  // namespace

int run(int argc, const char* const* argv, Context& ctx) {
  CLI::App app{
      "Manage the cross-tenant identity synchronization policy of partner tenants in Microsoft Entra",
      "xtsync"};
  app.set_version_flag("--version", "xtsync " XTSYNC_VERSION);
  app.require_subcommand(1);
  app.fallthrough();  // global options are accepted after the command name too

  GlobalOptions globals;
  add_global_options(app, globals);
  const std::vector<Command> commands = {setup_get(app),         setup_set(app),          setup_delete(app),
                                         setup_restore(app),     setup_list_deleted(app), setup_purge(app),
                                         setup_auth_status(app), setup_login(app),        setup_logout(app)};

  bool color = false;
  try {
    try {
      app.parse(argc, argv);
    } catch (const CLI::ParseError& e) {
      const int code = app.exit(e, ctx.out, ctx.err);
      return code == 0 ? 0 : exit_code(ErrorKind::usage);
    }
    resolve_global_options(globals, ctx);
    color = !globals.no_color && ctx.stderr_is_terminal && ctx.stderr_is_terminal();
    Runtime runtime(ctx, globals);
    for (const auto& command : commands) {
      if (command.app->parsed()) {
        command.run(runtime);
        finish_output(ctx);
        return 0;
      }
    }
    throw usage_error("no command given");
  } catch (const Error& e) {
    ctx.out.flush();  // what was already printed, e.g. the pages before a failed one
    return report_error(e, ctx, color);
  } catch (const std::exception& e) {
    ctx.err << "error: internal error: " << e.what() << '\n';
    return exit_code(ErrorKind::failure);
  }
}

}  // namespace xtsync::cli
