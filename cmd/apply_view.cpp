#include "apply_view.hpp"

#include <boost/json.hpp>
#include <fmt/format.h>

#include "render/json_pretty.hpp"
#include "render/table.hpp"

namespace xtsync::cli {

namespace json = boost::json;

namespace {

std::string shown(const json::value& v) { return v.is_null() ? "-" : v.is_string() ? std::string(v.get_string()) : json::serialize(v); }

std::string changes_text(const api::PlanItem& item) {
  std::string text;
  for (const auto& c : item.changes) {
    if (!text.empty()) text += ", ";
    text += fmt::format("{}: {} \u2192 {}", c.property, shown(c.from), shown(c.to));
  }
  if (item.create_partner) text = "partner configuration created first" + std::string(text.empty() ? "" : "; ") + text;
  return text.empty() ? "-" : text;
}

std::string partner_text(const api::PlanItem& item) {
  return item.named_as == item.tenant ? item.tenant : item.named_as + " (" + item.tenant + ")";
}

json::object error_json(const Error& e) {
  return json::object{{"code", e.graph_code.empty() ? json::value(nullptr) : json::value(e.graph_code)},
                      {"message", e.what()},
                      {"status", e.http_status ? json::value(e.http_status) : json::value(nullptr)},
                      {"requestId", e.request_id.empty() ? json::value(nullptr) : json::value(e.request_id)}};
}

}  // namespace

std::string plan_summary(const api::Plan& plan) {
  using api::PlanAction;
  std::string text = fmt::format("{} to create, {} to update, {} to delete, {} unchanged", plan.count(PlanAction::create),
                                 plan.count(PlanAction::update), plan.count(PlanAction::remove),
                                 plan.count(PlanAction::unchanged));
  if (const auto blocked = plan.count(PlanAction::blocked)) text += fmt::format(", {} blocked", blocked);
  if (const auto partners = plan.partners_to_create()) {
    text += fmt::format(" ({} partner configuration{} to create first)", partners, partners == 1 ? "" : "s");
  }
  return text;
}

std::string plan_table(const api::Plan& plan) {
  std::vector<render::Row> rows;
  for (const auto& item : plan.items) {
    if (item.action == api::PlanAction::unchanged) continue;
    rows.push_back({std::string(api::action_name(item.action)), partner_text(item),
                    item.display_name.empty() ? "-" : item.display_name, changes_text(item)});
  }
  if (rows.empty()) return {};
  return render::table({"ACTION", "PARTNER", "DISPLAY NAME", "CHANGES"}, std::move(rows));
}

std::string outcome_table(const api::Plan& plan, const std::vector<api::ItemOutcome>& outcomes) {
  std::vector<render::Row> rows;
  for (std::size_t i = 0; i < plan.items.size(); ++i) {
    const auto& item = plan.items[i];
    if (item.action == api::PlanAction::unchanged) continue;
    const auto& o = outcomes[i];
    std::string detail = "-";
    if (o.error) {
      detail = o.error->what();
      if (!o.error->graph_code.empty()) detail += " (code " + o.error->graph_code + ")";
      if (!o.error->request_id.empty()) detail += " (request-id " + o.error->request_id + ")";
    }
    rows.push_back({partner_text(item), std::string(api::action_name(item.action)),
                    std::string(api::status_name(o.status)), detail});
  }
  if (rows.empty()) return {};
  return render::table({"PARTNER", "ACTION", "STATUS", "DETAIL"}, std::move(rows));
}

std::string outcome_summary(const api::Plan& plan, const std::vector<api::ItemOutcome>& outcomes) {
  std::size_t done = 0, failed = 0, skipped = 0;
  for (std::size_t i = 0; i < plan.items.size(); ++i) {
    if (plan.items[i].action == api::PlanAction::unchanged) continue;
    switch (outcomes[i].status) {
      case api::ItemOutcome::Status::done: ++done; break;
      case api::ItemOutcome::Status::failed: ++failed; break;
      case api::ItemOutcome::Status::skipped: ++skipped; break;
    }
  }
  return fmt::format("{} done, {} failed, {} not attempted", done, failed, skipped);
}

std::string apply_json(const api::Plan& plan, const std::vector<api::ItemOutcome>* outcomes) {
  json::array out;
  for (std::size_t i = 0; i < plan.items.size(); ++i) {
    const auto& item = plan.items[i];
    json::object changes;
    for (const auto& c : item.changes) changes[c.property] = json::object{{"from", c.from}, {"to", c.to}};
    json::object o{{"tenantId", item.tenant}, {"action", api::action_name(item.action)}, {"changes", std::move(changes)}};
    if (item.named_as != item.tenant) o["name"] = item.named_as;
    if (item.create_partner) o["createPartner"] = true;
    if (outcomes) {
      const auto& result = (*outcomes)[i];
      o["status"] = api::status_name(result.status);
      if (result.error) o["error"] = error_json(*result.error);
    }
    out.push_back(std::move(o));
  }
  return render::pretty_json(out);
}

std::string apply_tsv(const api::Plan& plan, const std::vector<api::ItemOutcome>* outcomes) {
  std::vector<render::Row> rows;
  for (std::size_t i = 0; i < plan.items.size(); ++i) {
    const auto& item = plan.items[i];
    std::string status, code;
    if (outcomes) {
      status = api::status_name((*outcomes)[i].status);
      if ((*outcomes)[i].error) code = (*outcomes)[i].error->graph_code;
    }
    rows.push_back({item.tenant, std::string(api::action_name(item.action)), status, code});
  }
  return render::tsv(rows);
}

}  // namespace xtsync::cli
