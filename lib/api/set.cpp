#include "api/set.hpp"

#include <boost/json.hpp>

#include "error.hpp"

namespace xtsync::api {

namespace json = boost::json;

namespace {

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
// it yet (replication); then what was there plus what we sent is the best answer. A failure
// here comes after the change was made, and says so.
graph::Policy read_back(graph::Client& client, const std::string& tenant, const graph::Policy& before,
                        const graph::Policy& sent, const std::string& done) {
  try {
    if (auto policy = client.find_policy(tenant)) return *policy;
  } catch (const Error& e) {
    Error error = e.restated(e.kind(), done + ", but reading it back failed: " + e.what());
    error.hint = "the change is made; 'xtsync get " + tenant + "' shows it";
    throw error;
  }
  return merged(before, sent);
}

// A create next to a soft-deleted copy leaves that copy unrestorable (409) until one of them
// is gone, so it is worth a warning. Only a hint: a caller that may not read deleted items
// still gets its create.
std::optional<std::string> deleted_copy_date(graph::Client& client, const std::string& tenant) {
  try {
    if (auto copy = client.find_deleted(tenant)) return copy->deleted_date_time.value.value_or("");
  } catch (const Error&) {
  }
  return std::nullopt;
}

}  // namespace

SetRequest prepare_set(const SetInput& input, graph::ApiVersion version) {
  SetRequest request;
  request.tenant = input.tenant;
  request.desired = graph::desired_policy(input.file_text, input.file_label, input.flags, input.tenant,
                                          version == graph::ApiVersion::beta);
  request.create_partner = input.create_partner;
  request.dry_run = input.dry_run;
  request.look_for_deleted_copy = version == graph::ApiVersion::beta;
  return request;
}

SetOutcome set_policy(graph::Client& client, const SetRequest& input) {
  const std::string& tenant = input.tenant;
  const graph::Policy& desired = input.desired;

  const auto current = client.find_policy(tenant);
  SetOutcome outcome;
  if (!current && !client.partner_exists(tenant)) {
    if (!input.create_partner) {
      Error error(ErrorKind::not_found,
                  "partner " + tenant + " has no cross-tenant access partner configuration");
      error.hint = "add --create-partner to create the partner configuration first";
      throw error;
    }
    outcome.partner_created = true;
  }
  const graph::SetPlan plan = graph::plan_set(current, desired);
  outcome.action = plan.action;
  outcome.changed = plan.changed;
  if (outcome.partner_created) {
    outcome.requests.push_back({"POST", client.partners_url(), json::object{{"tenantId", tenant}}});
  }
  if (plan.action == graph::SetAction::create) {
    outcome.requests.push_back({"PUT", client.policy_url(tenant), json::value_from(plan.body)});
  } else if (plan.action == graph::SetAction::update) {
    outcome.requests.push_back({"PATCH", client.policy_url(tenant), json::value_from(plan.body)});
  }
  if (plan.action == graph::SetAction::create && input.look_for_deleted_copy) {
    outcome.deleted_copy = deleted_copy_date(client, tenant);
  }
  if (input.dry_run) {
    if (current) outcome.policy = *current;
    return outcome;
  }

  switch (plan.action) {
    case graph::SetAction::create:
      if (outcome.partner_created) client.create_partner(tenant);
      client.create_policy(tenant, plan.body);
      outcome.policy = read_back(client, tenant, created_shell(tenant), plan.body,
                                 "created the sync policy of partner " + tenant);
      break;
    case graph::SetAction::update:
      client.update_policy(tenant, plan.body);
      outcome.policy = read_back(client, tenant, *current, plan.body, "updated the sync policy of partner " + tenant);
      break;
    case graph::SetAction::unchanged:
      outcome.policy = *current;
      break;
  }
  return outcome;
}

}  // namespace xtsync::api
