#include <ostream>

#include "commands.hpp"
#include "error.hpp"

namespace xtsync::cli {

Session& Runtime::session() {
  if (!session_) session_ = std::make_unique<Session>(globals, ctx);
  return *session_;
}

graph::Client& Runtime::client() {
  return session().client();
}

bool Runtime::color_allowed(bool is_terminal) const {
  if (!is_terminal || globals.no_color) return false;
  const auto term = ctx.getenv ? ctx.getenv("TERM") : std::nullopt;
  return !(term && *term == "dumb");
}

render::TableStyle Runtime::table_style() const {
  render::TableStyle style;
  const bool tty = ctx.stdout_is_terminal && ctx.stdout_is_terminal();
  if (!tty) return style;  // pipes get full values
  style.color = color_allowed(true);
  std::optional<int> columns;
  if (const auto env = ctx.getenv ? ctx.getenv("COLUMNS") : std::nullopt) {
    try {
      columns = std::stoi(*env);
    } catch (const std::exception&) {
    }
  }
  if (!columns && ctx.terminal_columns) columns = ctx.terminal_columns();
  if (columns && *columns > 0) style.max_width = static_cast<std::size_t>(*columns);
  return style;
}

void Runtime::data(const std::string& text) const {
  // Not flushed here: a long listing goes out in buffer-sized pieces; run() flushes at the end
  // and checks that everything was written.
  if (!text.empty()) ctx.out << text;
}

void Runtime::note(const std::string& text) const {
  if (globals.quiet) return;
  ctx.err << text << '\n';
}

void Runtime::require_deleted_items(const std::string& what) const {
  graph::require_beta(globals.version, what);
  if (globals.cloud != "global") {
    note("warning: Graph documents deleted items for the global cloud only; " + globals.cloud +
         " may not support " + what);
  }
}

std::string Runtime::resolve_partner(const api::PartnerName& name) {
  if (!name.is_domain) return name.text;
  if (!partners_) partners_ = std::make_unique<api::PartnerResolver>(client(), [this](const std::string& s) { note(s); });
  return partners_->resolve(name);
}

CLI::Option* add_tenant_argument(CLI::App& sub, std::string& tenant) {
  // Named PARTNER, not "tenant": --tenant is the tenant you sign in to.
  return sub.add_option("PARTNER", tenant, "The partner: its tenant ID or one of its domain names")->required();
}

}  // namespace xtsync::cli
