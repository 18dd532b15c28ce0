// xtsync set TENANT [fields]: create the policy (PUT) or change only what differs (PATCH).
#include <boost/json.hpp>
#include <fmt/format.h>

#include <fstream>
#include <iterator>

#include "commands.hpp"
#include "graph/set_plan.hpp"
#include "render/json_pretty.hpp"
#include "render/policy_view.hpp"

namespace xtsync::cli {

namespace json = boost::json;

namespace {

struct Options {
  std::string tenant;
  std::optional<std::string> display_name;
  std::string user_sync;
  std::string group_sync;
  std::optional<std::string> external_cloud_app_id;
  std::string from_file;
  bool create_partner = false;
  bool dry_run = false;
};

std::optional<bool> allow_flag(const std::string& value) {
  if (value.empty()) return std::nullopt;
  return value == "allow";
}

std::optional<std::string> read_input_file(const std::string& name, Context& ctx) {
  if (name.empty()) return std::nullopt;
  if (name == "-") return std::string(std::istreambuf_iterator<char>(ctx.in), {});
  std::ifstream file(name, std::ios::binary);
  if (!file) throw usage_error("cannot read --from-file '" + name + "'");
  return std::string(std::istreambuf_iterator<char>(file), {});
}

// A write the plan would make, as --dry-run shows it.
struct PlannedRequest {
  std::string method;
  std::string url;
  json::value body;
};

void show_dry_run(Runtime& rt, const std::vector<PlannedRequest>& requests) {
  if (rt.globals.format == render::Format::json) {
    json::array list;
    for (const auto& r : requests) list.push_back(json::object{{"method", r.method}, {"url", r.url}, {"body", r.body}});
    rt.data(render::pretty_json(json::object{{"dryRun", true}, {"requests", std::move(list)}}));
    return;
  }
  std::string text;
  for (const auto& r : requests) {
    text += r.method + " " + r.url + "\n";
    if (!r.body.is_null()) text += render::pretty_json(r.body);
  }
  rt.data(text);
}


graph::Policy created_shell(const std::string& tenant) {
  graph::Policy p;
  p.tenant_id = graph::Property<std::string>::of(tenant);
  return p;
}

graph::Policy merged(const graph::Policy& base, const graph::Policy& changes) {
  json::value jv = json::value_from(base);
  const json::value update = json::value_from(changes);
  for (const auto& [key, value] : update.get_object()) jv.get_object()[key] = value;
  return json::value_to<graph::Policy>(jv);
}

// The policy after a write, as Graph now reports it. Right after a write Graph may not show
// it yet (replication); then what was there plus what we sent is the best answer.
graph::Policy read_back(graph::Client& client, const std::string& tenant, const graph::Policy& before,
                        const graph::Policy& sent) {
  if (auto policy = client.find_policy(tenant)) return *policy;
  return merged(before, sent);
}

void run_set(Runtime& rt, const Options& opt) {
  const std::string tenant = checked_tenant(opt.tenant);
  graph::FieldFlags flags{opt.display_name, allow_flag(opt.user_sync), allow_flag(opt.group_sync),
                          opt.external_cloud_app_id};
  if (opt.from_file == "-" && rt.globals.access_token_file == "-") {
    throw usage_error("--from-file - and --access-token-file - cannot both read standard input");
  }
  const auto file_text = read_input_file(opt.from_file, rt.ctx);
  const std::string file_label = opt.from_file == "-" ? "standard input" : "'" + opt.from_file + "'";
  const graph::Policy desired = graph::desired_policy(file_text, file_label, flags, tenant, rt.globals.beta());

  auto& client = rt.client();
  const auto current = client.find_policy(tenant);
  bool create_partner = false;
  if (!current && !client.partner_exists(tenant)) {
    if (!opt.create_partner) {
      Error error(ErrorKind::not_found, "partner " + tenant + " has no cross-tenant access partner configuration");
      error.hint = "add --create-partner to create the partner configuration first";
      throw error;
    }
    create_partner = true;
  }
  const graph::SetPlan plan = graph::plan_set(current, desired);

  if (opt.dry_run) {
    std::vector<PlannedRequest> requests;
    if (create_partner) requests.push_back({"POST", client.partners_url(), json::object{{"tenantId", tenant}}});
    if (plan.action == graph::SetAction::create) {
      requests.push_back({"PUT", client.policy_url(tenant), json::value_from(plan.body)});
    } else if (plan.action == graph::SetAction::update) {
      requests.push_back({"PATCH", client.policy_url(tenant), json::value_from(plan.body)});
    }
    show_dry_run(rt, requests);
    rt.note(requests.empty() ? "Dry run: the sync policy of partner " + tenant + " already matches; nothing to send."
                             : "Dry run: nothing was sent.");
    return;
  }

  graph::Policy result;
  switch (plan.action) {
    case graph::SetAction::create:
      if (create_partner) {
        client.create_partner(tenant);
        rt.note("Created the partner configuration of " + tenant + ".");
      }
      client.create_policy(tenant, plan.body);
      result = read_back(client, tenant, created_shell(tenant), plan.body);
      rt.note("Created the sync policy of partner " + tenant + ".");
      break;
    case graph::SetAction::update:
      client.update_policy(tenant, plan.body);
      result = read_back(client, tenant, *current, plan.body);
      rt.note(fmt::format("Updated {} of partner {}.", fmt::join(plan.changed, ", "), tenant));
      break;
    case graph::SetAction::unchanged:
      result = *current;
      rt.note("Unchanged: the sync policy of partner " + tenant + " already matches.");
      break;
  }
  rt.data(render::policy(result, rt.globals.format, false));
}

}  // namespace

Command setup_set(CLI::App& app) {
  auto* sub = app.add_subcommand("set", "Create or update the sync policy of a partner tenant");
  auto opt = std::make_shared<Options>();
  add_tenant_argument(*sub, opt->tenant);
  sub->add_option("--display-name", opt->display_name, "Display name of the policy");
  sub->add_option("--user-sync", opt->user_sync, "Allow or block user sync from the partner: allow|block")
      ->check(CLI::IsMember({"allow", "block"}));
  sub->add_option("--group-sync", opt->group_sync, "Allow or block group sync from the partner: allow|block (beta)")
      ->check(CLI::IsMember({"allow", "block"}));
  sub->add_option("--external-cloud-app-id", opt->external_cloud_app_id,
                  "externalCloudAuthorizedApplicationId (beta)");
  sub->add_option("--from-file", opt->from_file, "JSON object in Graph's shape (- for stdin); flags win");
  sub->add_flag("--create-partner", opt->create_partner, "Create the partner configuration first when it is missing");
  sub->add_flag("--dry-run", opt->dry_run, "Print what would be sent; send no write");
  return {sub, [opt](Runtime& rt) { run_set(rt, *opt); }};
}

}  // namespace xtsync::cli
