#include <fmt/format.h>

#include <ostream>

#include "build_info.hpp"
#include "commands.hpp"
#include "help.hpp"
#include "invocation.hpp"
#include "error.hpp"
#include "util/redact.hpp"
#include "util/terminal_text.hpp"

namespace xtsync::cli {

namespace {

// A message's own line breaks are kept; any other control character, from wherever a part of
// the message came, is shown escaped instead of reaching the terminal.
std::string safe_lines(std::string_view text) {
  std::string out;
  for (std::size_t start = 0;;) {
    const auto end = text.find('\n', start);
    out += util::escape_controls(text.substr(start, end == std::string_view::npos ? end : end - start));
    if (end == std::string_view::npos) return out;
    out += '\n';
    start = end + 1;
  }
}

// The one place where failures become messages and exit codes.
int report_error(const Error& e, Context& ctx, bool color) {
  const char* red = color ? "\033[31m" : "";
  const char* reset = color ? "\033[0m" : "";
  ctx.err << red << "error:" << reset << ' ' << safe_lines(e.what()) << '\n';
  if (!e.graph_code.empty() || !e.request_id.empty()) {
    std::string details;
    if (!e.graph_code.empty()) details += "code " + e.graph_code;
    if (!e.request_id.empty())
      details += (details.empty() ? "" : ", ") + std::string("request-id ") + e.request_id;
    if (!e.client_request_id.empty()) details += ", client-request-id " + e.client_request_id;
    ctx.err << "  " << util::escape_controls(details) << '\n';
  }
  if (!e.hint.empty()) ctx.err << "hint: " << util::escape_controls(e.hint) << '\n';
  return exit_code(e.kind());
}

// Data that did not reach stdout (a full disk, a closed pipe) is a failure, not success.
void finish_output(Context& ctx) {
  ctx.out.flush();
  if (!ctx.out) throw Error(ErrorKind::failure, "cannot write to standard output");
}

}  // namespace

static int run_command(int argc, const char* const* argv, Context& ctx) {
  CLI::App app{
      "Manage the cross-tenant identity synchronization policy of partner tenants in Microsoft Entra",
      "xtsync"};
  app.set_version_flag("-v,--version", version_line(), "Print the version and exit");
  app.set_help_flag("-h,--help", "Show help for the command and exit");
  app.require_subcommand(1);
  app.fallthrough();  // global options are accepted after the command name too

  set_examples(app, {"xtsync set contoso.com --create-partner --user-sync allow",
                     "xtsync get contoso.com",
                     "xtsync list",
                     "xtsync apply -f partners.yaml --dry-run"});
  GlobalOptions globals;
  add_global_options(app, globals);
  const std::vector<Command> commands = {
      setup_get(app),   setup_set(app),          setup_delete(app), setup_restore(app),     setup_list(app),
      setup_export(app), setup_apply(app),       setup_list_deleted(app), setup_purge(app), setup_auth_status(app),
      setup_login(app), setup_logout(app), setup_completion(app)};

  bool color = false;
  try {
    const Invocation invocation = read_invocation(app, argc, argv);
    if (invocation.kind == Invocation::Kind::version) {
      ctx.out << version_details();
      return 0;
    }
    if (invocation.kind == Invocation::Kind::help) {
      ctx.out << command_help(app, *invocation.help_for);
      return 0;
    }
    try {
      std::vector<std::string> reversed(invocation.args.rbegin(), invocation.args.rend());  // as CLI11 wants
      app.parse(reversed);
    } catch (const CLI::CallForHelp&) {
      ctx.out << command_help(app, deepest_parsed(app));
      return 0;
    } catch (const CLI::CallForAllHelp&) {
      ctx.out << command_help(app, deepest_parsed(app));
      return 0;
    } catch (const CLI::Success& e) {
      return app.exit(e, ctx.out, ctx.err);  // --version
    } catch (const CLI::ParseError& e) {
      throw usage_error_from(e, app, invocation.args);
    }
    resolve_global_options(globals, ctx);
    Runtime runtime(ctx, globals);
    color = runtime.color_allowed(ctx.stderr_is_terminal && ctx.stderr_is_terminal());
    for (const auto& command : commands) {
      if (command.app->parsed()) {
        command.run(runtime);
        finish_output(ctx);
        return runtime.exit_status;
      }
    }
    throw usage_error("no command given");
  } catch (const Error& e) {
    ctx.out.flush();  // what was already printed, e.g. the pages before a failed one
    return report_error(e, ctx, color);
  } catch (const std::exception& e) {
    ctx.err << "error: internal error: " << util::escape_controls(e.what()) << '\n';
    return exit_code(ErrorKind::failure);
  }
}

int run(int argc, const char* const* argv, Context& ctx) {
  // Everything printed goes through redaction of the secrets the process holds: a server that
  // echoes a token back in an error, a name or a debug body cannot get it onto the screen.
  util::RedactingStreambuf out_buffer(ctx.out);
  util::RedactingStreambuf err_buffer(ctx.err);
  std::ostream out(&out_buffer);
  std::ostream err(&err_buffer);
  Context filtered{out,      err,       ctx.in,    ctx.getenv,          ctx.stdin_is_terminal, ctx.stderr_is_terminal,
                   ctx.make_transport, ctx.sleep, ctx.stdout_is_terminal, ctx.terminal_columns};
  const int code = run_command(argc, argv, filtered);
  err.flush();
  out.flush();
  return code;
}

}  // namespace xtsync::cli
