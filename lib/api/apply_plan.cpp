// The plan of `apply`: what differs between the file and the live state, by set's own rules.
#include <algorithm>
#include <boost/json.hpp>
#include <map>
#include <set>

#include "api/apply.hpp"
#include "graph/set_plan.hpp"

namespace xtsync::api {

namespace json = boost::json;

namespace {

json::value sync_value(const graph::Property<graph::InboundSync>& setting) {
  if (!setting.value || !setting.value->is_sync_allowed.value) return nullptr;
  return json::string(*setting.value->is_sync_allowed.value ? "allow" : "block");
}

json::value text_value(const graph::Property<std::string>& p) {
  if (!p.value) return nullptr;
  return json::string(*p.value);
}

// A Graph property name as the file names it, with its value in the file's terms.
PropertyChange file_change(const std::string& graph_name, const graph::Policy* from, const graph::Policy& to) {
  const graph::Policy none;
  const graph::Policy& before = from ? *from : none;
  if (graph_name == "displayName") return {"displayName", text_value(before.display_name), text_value(to.display_name)};
  if (graph_name == "userSyncInbound") {
    return {"userSync", sync_value(before.user_sync_inbound), sync_value(to.user_sync_inbound)};
  }
  if (graph_name == "groupSyncInbound") {
    return {"groupSync", sync_value(before.group_sync_inbound), sync_value(to.group_sync_inbound)};
  }
  if (graph_name == "externalCloudAuthorizedApplicationId") {
    return {"externalCloudAppId", text_value(before.external_cloud_authorized_application_id),
            text_value(to.external_cloud_authorized_application_id)};
  }
  const auto* was = before.extra.if_contains(graph_name);
  const auto* now = to.extra.if_contains(graph_name);
  return {graph_name, was ? *was : json::value(nullptr), now ? *now : json::value(nullptr)};
}

std::string shown_name(const graph::Policy& desired, const graph::Policy* current) {
  if (desired.display_name.value) return *desired.display_name.value;
  if (current && current->display_name.value) return *current->display_name.value;
  return {};
}

}  // namespace

std::string_view action_name(PlanAction action) noexcept {
  switch (action) {
    case PlanAction::create: return "create";
    case PlanAction::update: return "update";
    case PlanAction::remove: return "delete";
    case PlanAction::unchanged: return "unchanged";
    case PlanAction::blocked: return "blocked";
  }
  return "unchanged";
}

std::size_t Plan::count(PlanAction action) const {
  return static_cast<std::size_t>(
      std::count_if(items.begin(), items.end(), [&](const PlanItem& i) { return i.action == action; }));
}

std::size_t Plan::partners_to_create() const {
  return static_cast<std::size_t>(
      std::count_if(items.begin(), items.end(), [](const PlanItem& i) { return i.create_partner; }));
}

bool Plan::empty() const {
  return std::all_of(items.begin(), items.end(), [](const PlanItem& i) { return i.action == PlanAction::unchanged; });
}

Plan make_plan(const std::vector<WantedPartner>& wanted, const std::vector<graph::PartnerEntry>& live, bool prune,
               bool create_partners) {
  std::map<std::string, const graph::PartnerEntry*> by_tenant;
  for (const auto& entry : live) by_tenant.emplace(entry.tenant_id, &entry);

  Plan plan;
  std::set<std::string> named;
  for (const auto& w : wanted) {
    named.insert(w.tenant);
    PlanItem item;
    item.tenant = w.tenant;
    item.named_as = w.named_as;
    item.line = w.line;
    const auto it = by_tenant.find(w.tenant);
    const graph::PartnerEntry* partner = it == by_tenant.end() ? nullptr : it->second;
    const graph::Policy* current = partner && partner->policy ? &*partner->policy : nullptr;
    item.display_name = shown_name(w.desired, current);

    if (w.state == DesiredState::absent) {
      item.action = current ? PlanAction::remove : PlanAction::unchanged;
      plan.items.push_back(std::move(item));
      continue;
    }
    const graph::SetPlan diff = graph::plan_set(current ? std::optional<graph::Policy>(*current) : std::nullopt, w.desired);
    if (diff.action == graph::SetAction::unchanged) {
      item.action = PlanAction::unchanged;
    } else if (diff.action == graph::SetAction::update) {
      item.action = PlanAction::update;
    } else if (partner) {
      item.action = PlanAction::create;
    } else {
      item.action = create_partners ? PlanAction::create : PlanAction::blocked;
      item.create_partner = create_partners;
    }
    item.body = diff.body;
    for (const auto& name : diff.changed) item.changes.push_back(file_change(name, current, w.desired));
    plan.items.push_back(std::move(item));
  }
  if (prune) {
    for (const auto& [tenant, partner] : by_tenant) {
      if (!partner->policy || named.contains(tenant)) continue;
      PlanItem item;
      item.tenant = tenant;
      item.named_as = tenant;
      item.action = PlanAction::remove;
      item.display_name = partner->policy->display_name.value.value_or("");
      plan.items.push_back(std::move(item));
    }
  }
  return plan;
}

}  // namespace xtsync::api
