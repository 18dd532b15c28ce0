#include <ostream>

#include "commands.hpp"
#include "error.hpp"
#include "util/guid.hpp"

namespace xtsync::cli {

Session& Runtime::session() {
  if (!session_) session_ = std::make_unique<Session>(globals, ctx);
  return *session_;
}

graph::Client& Runtime::client() {
  return session().client();
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

CLI::Option* add_tenant_argument(CLI::App& sub, std::string& tenant) {
  return sub.add_option("tenant", tenant, "Partner tenant ID (a GUID)")->required();
}

std::string checked_tenant(const std::string& text) {
  if (auto guid = util::normalize_guid(text)) return *guid;
  throw usage_error("'" + text +
                    "' is not a tenant ID: expected a GUID such as 9c5d131d-b1c3-4fc4-9e3f-c6557947d551");
}

}  // namespace xtsync::cli
