// xtsync auth status: which credential source would be used and what its token allows —
// never the token itself.
#include <fmt/chrono.h>
#include <fmt/format.h>
#include <boost/json.hpp>

#include "api/auth_status.hpp"

#include "commands.hpp"
#include "help.hpp"
#include "render/json_pretty.hpp"
#include "render/table.hpp"

namespace xtsync::cli {

namespace json = boost::json;

namespace {

void show_auth_status(Runtime& rt) {
  Session& session = rt.session();
  const api::AuthStatus status = api::read_auth_status(session.credentials(), session.auth_context());
  const std::string expires_text =
      status.expires_on ? fmt::format("{:%Y-%m-%dT%H:%M:%SZ}",
                                      fmt::gmtime(std::chrono::system_clock::to_time_t(*status.expires_on)))
                        : "";

  if (rt.globals.format == render::Format::json) {
    json::object out{{"source", status.source},
                     {"reason", status.reason},
                     {"cloud", status.cloud},
                     {"authority", status.authority},
                     {"tenant", status.tenant},
                     {"clientId", status.client_id},
                     {"audience", status.audience},
                     {"expiresOn", status.expires_on ? json::value(expires_text) : json::value(nullptr)},
                     {"roles", json::value_from(status.roles)},
                     {"scopes", json::value_from(status.scopes)}};
    rt.data(render::pretty_json(out));
    return;
  }
  // The table marks an empty field with "-"; TSV leaves it empty, as everywhere else.
  const bool tsv = rt.globals.format == render::Format::tsv;
  auto or_dash = [tsv](const std::string& s) { return s.empty() && !tsv ? std::string("-") : s; };
  auto joined = [&](const std::vector<std::string>& v) {
    return or_dash(fmt::format("{}", fmt::join(v, " ")));
  };
  std::vector<render::Row> rows = {
      {"SOURCE", status.source + " (" + status.reason + ")"},
      {"CLOUD", status.cloud + " (" + status.authority + ")"},
      {"TENANT", or_dash(status.tenant)},
      {"CLIENT ID", or_dash(status.client_id)},
      {"AUDIENCE", or_dash(status.audience)},
      {"EXPIRES", or_dash(expires_text)},
      {"ROLES", joined(status.roles)},
      {"SCOPES", joined(status.scopes)},
  };
  if (tsv) {
    rt.data(render::tsv(rows));
  } else {
    rt.data(render::table({"FIELD", "VALUE"}, rows));
  }
}

}  // namespace

Command setup_auth_status(CLI::App& app) {
  auto* auth = app.add_subcommand("auth", "Show how xtsync signs in");
  auth->require_subcommand(1);
  auto* status = auth->add_subcommand("status", "Which credential source is used, and what its token allows");
  set_examples(*status, {"xtsync auth status", "xtsync auth status -o json", "xtsync auth status --auth client-secret"});
  return {status, [](Runtime& rt) { show_auth_status(rt); }};
}

}  // namespace xtsync::cli
