// xtsync set TENANT [fields]: create the policy (PUT) or change only what differs (PATCH).
#include <fmt/format.h>
#include <boost/json.hpp>

#include "api/set.hpp"
#include "commands.hpp"
#include "help.hpp"
#include "render/json_pretty.hpp"
#include "render/policy_view.hpp"
#include "util/file.hpp"

namespace xtsync::cli {

namespace json = boost::json;

namespace {

struct SetOptions {
  std::string tenant;
  std::optional<std::string> display_name;
  std::string user_sync;
  std::string group_sync;
  std::optional<std::string> external_cloud_app_id;
  std::string from_file;
  bool create_partner = false;
  bool dry_run = false;
  bool show_outcome = false;
};

// allow|block, offered as such (help, completions); what the table shows (allowed/blocked) and
// JSON's true/false are accepted as well.
CLI::Validator sync_choice() {
  return CLI::Validator(
      [](std::string& value) -> std::string {
        for (const char* accepted : {"allow", "block", "allowed", "blocked", "true", "false"}) {
          if (value == accepted) return {};
        }
        return value + " not in {allow,block}";
      },
      "{allow,block}");
}

std::optional<bool> allow_flag(const std::string& value) {
  if (value.empty()) return std::nullopt;
  return value == "allow" || value == "allowed" || value == "true";
}

std::optional<std::string> read_from_file(const std::string& name, Context& ctx) {
  if (name.empty()) return std::nullopt;
  if (name == "-")
    return util::read_stream(ctx.in, "--from-file - (standard input)", util::k_max_document_bytes);
  return util::read_file(name, "--from-file '" + name + "'");
}

void show_dry_run(Runtime& rt, const api::SetOutcome& plan) {
  const auto& requests = plan.requests;
  if (rt.globals.format == render::Format::json) {
    json::array list;
    for (const auto& r : requests)
      list.push_back(json::object{{"method", r.method}, {"url", r.url}, {"body", r.body}});
    json::array changed(plan.changed.begin(), plan.changed.end());
    rt.data(render::pretty_json(json::object{{"dryRun", true},
                                             {"action", graph::action_name(plan.action)},
                                             {"changed", std::move(changed)},
                                             {"requests", std::move(list)}}));
    return;
  }
  if (rt.globals.format == render::Format::tsv) {
    std::vector<render::Row> rows;
    for (const auto& r : requests) rows.push_back({r.method, r.url, r.body.is_null() ? "" : json::serialize(r.body)});
    rt.data(render::tsv(rows));
    return;
  }
  std::string text;
  for (const auto& r : requests) {
    text.append(r.method).append(" ").append(r.url).append("\n");
    if (!r.body.is_null()) text += render::pretty_json(r.body);
  }
  rt.data(text);
}

render::Outcome outcome_of(const api::SetOutcome& done) {
  const char* words = done.action == graph::SetAction::create   ? "created"
                      : done.action == graph::SetAction::update ? "updated"
                                                                : "unchanged";
  return {words, done.changed, done.partner_created};
}

void run_set(Runtime& rt, const SetOptions& opt) {
  const auto name = api::parse_partner_name(opt.tenant);
  api::SetInput input;
  input.tenant = name.is_domain ? std::string() : name.text;  // a domain is resolved below
  input.flags = {opt.display_name, allow_flag(opt.user_sync), allow_flag(opt.group_sync),
                 opt.external_cloud_app_id};
  if (opt.from_file == "-" && rt.globals.access_token_file == "-") {
    throw usage_error("--from-file - and --access-token-file - cannot both read standard input");
  }
  input.file_text = read_from_file(opt.from_file, rt.ctx);
  input.file_label = opt.from_file == "-" ? "standard input" : "'" + opt.from_file + "'";
  input.create_partner = opt.create_partner;
  input.dry_run = opt.dry_run;
  // Checked before anything needs credentials; once a domain is resolved, checked again so a
  // tenantId in the file must name the same partner.
  api::SetRequest request = api::prepare_set(input, rt.globals.version);
  if (name.is_domain) {
    input.tenant = rt.resolve_partner(name);
    request = api::prepare_set(input, rt.globals.version);
  }
  const std::string tenant = request.tenant;
  const api::SetOutcome outcome = api::set_policy(rt.client(), request);
  if (outcome.deleted_copy) {
    const std::string when = outcome.deleted_copy->empty() ? "" : " (deleted " + *outcome.deleted_copy + ")";
    rt.note("warning: partner " + tenant + " has a soft-deleted sync policy" + when + "; this " +
            (opt.dry_run ? "would create" : "creates") + " a new one beside it. 'xtsync restore " + tenant +
            "' brings the old one back, but only while no live policy exists: run 'xtsync delete " + tenant +
            "' first, or 'xtsync purge " + tenant + "' to drop the copy.");
  }
  if (opt.dry_run) {
    show_dry_run(rt, outcome);
    rt.note(outcome.requests.empty()
                ? "Dry run: the sync policy of partner " + tenant + " already matches; nothing to send."
                : "Dry run: nothing was sent.");
    return;
  }
  if (outcome.partner_created) rt.note("Created the partner configuration of " + tenant + ".");
  switch (outcome.action) {
    case graph::SetAction::create:
      rt.note("Created the sync policy of partner " + tenant + ".");
      break;
    case graph::SetAction::update:
      rt.note(fmt::format("Updated {} of partner {}.", fmt::join(outcome.changed, ", "), tenant));
      break;
    case graph::SetAction::unchanged:
      rt.note("Unchanged: the sync policy of partner " + tenant + " already matches.");
      break;
  }
  rt.data(opt.show_outcome ? render::policy_outcome(outcome_of(outcome), outcome.policy, rt.globals.format, rt.table_style())
                           : render::policy(outcome.policy, rt.globals.format, false, rt.table_style()));
}

}  // namespace

Command setup_set(CLI::App& app) {
  auto* sub = app.add_subcommand("set", "Create or update the sync policy of a partner tenant");
  set_examples(*sub, {"xtsync set contoso.com --create-partner --display-name Contoso --user-sync allow", "xtsync set contoso.com --group-sync block --dry-run", "xtsync set contoso.com --from-file policy.json   # merges: keys left out are not managed; see apply"});
  auto opt = std::make_shared<SetOptions>();
  add_tenant_argument(*sub, opt->tenant);
  sub->add_option("--display-name", opt->display_name, "Display name of the policy");
  sub->add_option("--user-sync", opt->user_sync, "Allow or block user sync from the partner: allow|block")
      ->check(sync_choice());
  sub->add_option("--group-sync", opt->group_sync,
                  "Allow or block group sync from the partner: allow|block (beta)")
      ->check(sync_choice());
  sub->add_option("--external-cloud-app-id", opt->external_cloud_app_id,
                  "externalCloudAuthorizedApplicationId (beta)");
  sub->add_option("--from-file", opt->from_file,
                  "JSON object in Graph's shape (- for stdin); merged: keys left out stay as they are (for declared "
                  "state use apply); flags win");
  sub->add_flag("--create-partner", opt->create_partner,
                "Create the partner configuration first when it is missing");
  sub->add_flag("--dry-run", opt->dry_run, "Print what would be sent; send no write");
  sub->add_flag("--show-outcome", opt->show_outcome,
                "Print what was done (created|updated|unchanged, changed properties) with the policy");
  return {sub, [opt](Runtime& rt) { run_set(rt, *opt); }};
}

}  // namespace xtsync::cli
