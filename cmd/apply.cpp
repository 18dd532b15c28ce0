// xtsync apply -f FILE: make the tenant match a file — plan, then JSON batches.
#include <fmt/format.h>

#include <istream>
#include <map>
#include <ostream>

#include "api/apply.hpp"
#include "api/apply_file.hpp"
#include "apply_view.hpp"
#include "commands.hpp"
#include "help.hpp"
#include "invocation.hpp"
#include "util/file.hpp"
#include "util/interrupt.hpp"
#include "util/strings.hpp"

namespace xtsync::cli {

namespace {

struct ApplyOptions {
  std::string file;
  bool dry_run = false;
  bool detailed_exitcode = false;
  bool create_partners = false;
  bool prune = false;
  bool yes = false;
  int parallel = 4;
};

// Domain names in the file resolved once each; two entries for one tenant are an error.
std::vector<api::WantedPartner> resolve_entries(Runtime& rt, const api::ApplyDocument& doc, const std::string& label) {
  std::vector<api::WantedPartner> wanted;
  std::map<std::string, int> line_of;
  for (const auto& entry : doc.partners) {
    api::WantedPartner w;
    w.named_as = entry.tenant;
    w.tenant = rt.resolve_partner(api::parse_partner_name(entry.tenant));
    w.line = entry.line;
    w.state = entry.state;
    w.desired = entry.desired;
    if (const auto [it, added] = line_of.emplace(w.tenant, entry.line); !added) {
      throw usage_error(fmt::format("{}:{}: key 'tenant': {} is the same tenant as the entry on line {} ({})", label,
                                    entry.line, entry.tenant, it->second, w.tenant));
    }
    wanted.push_back(std::move(w));
  }
  return wanted;
}

// --prune deletes policies the file does not mention: ask on a terminal, else need --yes.
void confirm_prune(Runtime& rt, std::size_t count, bool yes) {
  if (yes || count == 0) return;
  if (!rt.ctx.stdin_is_terminal()) {
    throw usage_error(fmt::format("refusing to delete {} sync polic{} that the file does not name without "
                                  "confirmation: standard input is not a terminal; pass --yes",
                                  count, count == 1 ? "y" : "ies"));
  }
  rt.ctx.err << fmt::format("Delete the sync policy of {} partner{} that the file does not name? [y/N] ", count,
                            count == 1 ? "" : "s");
  rt.ctx.err.flush();
  std::string answer;
  std::getline(rt.ctx.in, answer);
  if (util::interrupt_requested()) {
    throw Error(ErrorKind::interrupted, "interrupted at the confirmation prompt; nothing was changed");
  }
  const auto reply = util::to_lower(util::trim(answer));
  if (reply != "y" && reply != "yes") throw usage_error("apply cancelled; nothing was changed");
}

void show_plan(Runtime& rt, const api::Plan& plan) {
  if (rt.globals.format != render::Format::table) return;  // scripts get one document, at the end
  rt.data(plan_table(plan));
  rt.data("Plan: " + plan_summary(plan) + "\n");
}

void show_result(Runtime& rt, const api::Plan& plan, const std::vector<api::ItemOutcome>* outcomes) {
  switch (rt.globals.format) {
    case render::Format::json: rt.data(apply_json(plan, outcomes)); return;
    case render::Format::tsv: rt.data(apply_tsv(plan, outcomes)); return;
    case render::Format::table:
      if (outcomes) {
        rt.data(outcome_table(plan, *outcomes));
        rt.data("Result: " + outcome_summary(plan, *outcomes) + "\n");
      }
      return;
  }
}

int run_apply(Runtime& rt, const ApplyOptions& opt) {
  if (opt.detailed_exitcode && !opt.dry_run) throw usage_error("--detailed-exitcode goes with --dry-run");
  if (opt.file == "-" && rt.globals.access_token_file == "-") {
    throw usage_error("-f - and --access-token-file - cannot both read standard input");
  }
  const std::string label = opt.file == "-" ? "standard input" : opt.file;
  const std::string text = opt.file == "-" ? util::read_stream(rt.ctx.in, "-f - (standard input)", util::k_max_document_bytes)
                                           : util::read_file(opt.file, "-f '" + opt.file + "'");
  // Every check of the file itself comes before anything needs credentials or the network.
  const api::ApplyDocument doc = api::parse_apply_file(text, label, rt.globals.version);

  const auto wanted = resolve_entries(rt, doc, label);
  std::vector<graph::PartnerEntry> live;
  rt.client().for_each_partner([&](graph::PartnerEntry&& p) { live.push_back(std::move(p)); });
  const api::Plan plan = api::make_plan(wanted, live, opt.prune, opt.create_partners);
  show_plan(rt, plan);

  if (const auto blocked = plan.count(api::PlanAction::blocked); blocked > 0) {
    std::string names;
    for (const auto& item : plan.items) {
      if (item.action == api::PlanAction::blocked) names += (names.empty() ? "" : ", ") + item.named_as;
    }
    if (rt.globals.format != render::Format::table) show_result(rt, plan, nullptr);
    Error error(ErrorKind::not_found, fmt::format("{} partner{} ha{} no partner configuration: {}; nothing was changed",
                                                  blocked, blocked == 1 ? "" : "s", blocked == 1 ? "s" : "ve", names));
    error.hint = "add --create-partners to create the partner configurations first";
    throw error;
  }
  if (opt.dry_run) {
    show_result(rt, plan, nullptr);
    rt.note(plan.empty() ? "Dry run: the tenant already matches the file; nothing to send." : "Dry run: nothing was sent.");
    return opt.detailed_exitcode && !plan.empty() ? 8 : 0;
  }
  std::size_t pruned = 0;
  for (const auto& item : plan.items) pruned += item.line == 0 && item.action == api::PlanAction::remove;
  confirm_prune(rt, pruned, opt.yes);
  if (plan.empty()) {
    show_result(rt, plan, nullptr);
    rt.note("The tenant already matches the file; nothing to send.");
    return 0;
  }

  api::RunOptions run;
  run.parallel = opt.parallel;
  Session& session = rt.session();
  run.make_client = [&session] { return session.make_client(std::chrono::seconds(2)); };
  const bool progress_line = !rt.globals.quiet && rt.ctx.stderr_is_terminal && rt.ctx.stderr_is_terminal();
  if (progress_line) {
    run.progress = [&rt](const api::RunProgress& p) {
      rt.ctx.err << fmt::format("\r\033[K{}/{} done, {:.0f}/s, {} retr{}, {} failed", p.done, p.total, p.per_second,
                                p.retries, p.retries == 1 ? "y" : "ies", p.failed);
      rt.ctx.err.flush();
    };
  }
  const auto outcomes = api::run_plan(plan, rt.client(), run);
  if (progress_line) rt.ctx.err << "\r\033[K" << std::flush;
  show_result(rt, plan, &outcomes);

  // The exit code the first failed partner's error would give on its own.
  for (const auto& o : outcomes) {
    if (o.status != api::ItemOutcome::Status::done) {
      if (o.error) {
        rt.note("error: " + std::string(o.error->what()));
        if (o.error->kind() != ErrorKind::interrupted) rt.note("hint: run 'xtsync apply' again to finish the job");
        return exit_code(o.error->kind());
      }
      return exit_code(ErrorKind::failure);
    }
  }
  return 0;
}

}  // namespace

Command setup_apply(CLI::App& app) {
  auto* sub = app.add_subcommand("apply", "Make the sync policies of the tenant match a file (YAML or JSON)");
  set_examples(*sub, {"xtsync apply -f partners.yaml --dry-run --detailed-exitcode   # exit 8: drift", "xtsync apply -f partners.yaml --create-partners", "xtsync export | xtsync apply -f - --dry-run"});
  auto opt = std::make_shared<ApplyOptions>();
  sub->add_option("-f,--file", opt->file, "The file (- for stdin): version 1, a list of partners")->required();
  sub->add_flag("--dry-run", opt->dry_run, "Print the plan; send no write");
  sub->add_flag("--detailed-exitcode", opt->detailed_exitcode, "With --dry-run: exit 8 when the plan is not empty");
  sub->add_flag("--create-partners", opt->create_partners, "Create missing partner configurations first");
  sub->add_flag("--prune", opt->prune, "Also delete the sync policy of every partner the file does not name");
  sub->add_flag("-y,--yes", opt->yes, "Do not ask before --prune deletes");
  sub->add_option("--parallel", opt->parallel, "Connections to send batches over (default 4)")
      ->check(whole_number_between(1, 16));
  return {sub, [opt](Runtime& rt) { rt.exit_status = run_apply(rt, *opt); }};
}

}  // namespace xtsync::cli
