// xtsync auth status: which credential source would be used and what its token allows —
// never the token itself.
#include <boost/json.hpp>
#include <fmt/chrono.h>
#include <fmt/format.h>

#include "auth/jwt.hpp"
#include "commands.hpp"
#include "render/json_pretty.hpp"
#include "render/table.hpp"

namespace xtsync::cli {

namespace json = boost::json;

namespace {

std::string claim(const std::optional<json::object>& claims, std::initializer_list<const char*> names) {
  if (!claims) return {};
  for (const char* name : names) {
    if (const auto* v = claims->if_contains(name); v && v->is_string()) return std::string(v->get_string());
  }
  return {};
}

std::vector<std::string> list_claim(const std::optional<json::object>& claims, const char* name) {
  std::vector<std::string> out;
  if (!claims) return out;
  const auto* v = claims->if_contains(name);
  if (!v) return out;
  if (v->is_array()) {
    for (const auto& item : v->get_array()) {
      if (item.is_string()) out.emplace_back(item.get_string());
    }
  } else if (v->is_string()) {  // "scp" is one space-separated string
    std::string_view rest = v->get_string();
    while (!rest.empty()) {
      const auto space = rest.find(' ');
      if (space != 0) out.emplace_back(rest.substr(0, space));
      if (space == std::string_view::npos) break;
      rest.remove_prefix(space + 1);
    }
  }
  return out;
}

void show(Runtime& rt) {
  Session& session = rt.session();
  const auto& resolved = session.credentials();
  const auto& actx = session.auth_context();
  // Fetching the token proves the source works; only its claims are shown.
  const std::string token = session.tokens().access_token();
  const auto claims = auth::decode_claims(token);

  std::optional<std::chrono::system_clock::time_point> expires;
  if (claims) {
    if (const auto* exp = claims->if_contains("exp"); exp && exp->is_number()) {
      expires = std::chrono::system_clock::from_time_t(static_cast<std::time_t>(exp->to_number<double>()));
    }
  }
  const std::string tenant = claim(claims, {"tid"}).empty() ? actx.tenant : claim(claims, {"tid"});
  const std::string client = claim(claims, {"appid", "azp"}).empty() ? actx.client_id : claim(claims, {"appid", "azp"});
  const auto roles = list_claim(claims, "roles");
  const auto scopes = list_claim(claims, "scp");
  const std::string expires_text =
      expires ? fmt::format("{:%Y-%m-%dT%H:%M:%SZ}", fmt::gmtime(std::chrono::system_clock::to_time_t(*expires))) : "";

  if (rt.globals.format == render::Format::json) {
    json::object out{{"source", resolved.method},
                     {"reason", resolved.reason},
                     {"cloud", actx.cloud.name},
                     {"authority", actx.cloud.authority_host},
                     {"tenant", tenant},
                     {"clientId", client},
                     {"audience", claim(claims, {"aud"})},
                     {"expiresOn", expires ? json::value(expires_text) : json::value(nullptr)},
                     {"roles", json::value_from(roles)},
                     {"scopes", json::value_from(scopes)}};
    rt.data(render::pretty_json(out));
    return;
  }
  auto or_dash = [](const std::string& s) { return s.empty() ? std::string("-") : s; };
  auto joined = [&](const std::vector<std::string>& v) { return or_dash(fmt::format("{}", fmt::join(v, " "))); };
  std::vector<render::Row> rows = {
      {"SOURCE", resolved.method + " (" + resolved.reason + ")"},
      {"CLOUD", actx.cloud.name + " (" + actx.cloud.authority_host + ")"},
      {"TENANT", or_dash(tenant)},
      {"CLIENT ID", or_dash(client)},
      {"AUDIENCE", or_dash(claim(claims, {"aud"}))},
      {"EXPIRES", or_dash(expires_text)},
      {"ROLES", joined(roles)},
      {"SCOPES", joined(scopes)},
  };
  if (rt.globals.format == render::Format::tsv) {
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
  return {status, [](Runtime& rt) { show(rt); }};
}

}  // namespace xtsync::cli
