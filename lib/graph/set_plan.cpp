#include "graph/set_plan.hpp"

#include <algorithm>
#include <boost/json.hpp>
#include <span>

#include "error.hpp"
#include "util/json_numbers.hpp"
#include "util/json_text.hpp"
#include "util/strings.hpp"

namespace xtsync::graph {

namespace json = boost::json;

namespace {

// Does the current setting already say everything the wanted one says?
// Keys the user did not mention inside the setting do not count as a difference.
bool inbound_satisfied(const Property<InboundSync>& current, const Property<InboundSync>& wanted) {
  if (!wanted.value) return !current.value;
  if (!current.value) return false;
  const auto& c = *current.value;
  const auto& w = *wanted.value;
  if (w.is_sync_allowed.present && w.is_sync_allowed.value != c.is_sync_allowed.value) return false;
  for (const auto& [key, value] : w.extra) {
    const auto* have = c.extra.if_contains(key);
    if (have ? *have != value : !value.is_null()) return false;
  }
  return true;
}

template <class T>
bool same_value(const Property<T>& current, const Property<T>& wanted) {
  return current.value == wanted.value;
}

std::string joined(std::span<const std::string_view> names) {
  std::string text;
  for (const auto name : names) text.append(text.empty() ? "" : ", ").append(name);
  return text;
}

std::string dotted(const std::vector<std::string>& path) {
  std::string text;
  for (const auto& step : path) text.append(text.empty() ? "" : ".").append(step);
  return text;
}

// A file is the user's declaration: a key this version does not know is a typo or a property
// it cannot manage, so it stops the command (naming the line) rather than being sent.
void check_file_keys(std::string_view text, const std::string& file_name) {
  std::vector<util::JsonKeyLine> seen;
  for (auto& key : util::json_key_lines(text)) {
    const std::string& name = key.path.back();
    const std::string at = file_name + " line " + std::to_string(key.line);
    for (const auto& earlier : seen) {
      if (earlier.path == key.path) {
        throw usage_error(at + ": '" + dotted(key.path) + "' is given twice (lines " + std::to_string(earlier.line) +
                          " and " + std::to_string(key.line) + ")");
      }
    }
    const bool inbound = key.path.size() == 2 && (key.path[0] == "userSyncInbound" || key.path[0] == "groupSyncInbound" ||
                                                  key.path[0] == k_role_enabled_group_sync);
    if (key.path.size() > 2 || (key.path.size() == 2 && !inbound)) continue;  // inside a value checked by type
    if (name.starts_with("@odata.")) continue;  // annotations of a saved Graph response
    const std::span<const std::string_view> known =
        inbound ? std::span<const std::string_view>(k_inbound_sync_keys) : std::span<const std::string_view>(k_policy_keys);
    if (std::find(known.begin(), known.end(), name) != known.end()) {
      seen.push_back(std::move(key));
      continue;
    }
    std::string why = at + ": unknown key '" + dotted(key.path) + "' (known" + (inbound ? " in " + key.path[0] : "") +
                      ": " + joined(known) + ")";
    for (const auto candidate : known) {
      if (util::iequals(name, candidate)) why += "; did you mean '" + std::string(candidate) + "'?";
    }
    throw usage_error(why + "; nothing was sent");
  }
}

}  // namespace

Policy desired_policy(const std::optional<std::string>& file_text, const std::string& file_name,
                      const FieldFlags& flags, const std::string& tenant, bool beta) {
  Policy wanted;
  if (file_text) {
    json::value jv;
    util::JsonSyntaxError syntax;
    if (!util::parse_json_text(*file_text, jv, syntax)) {
      throw usage_error(file_name + " is not valid JSON: " + syntax.reason + " at line " + std::to_string(syntax.line) +
                        ", column " + std::to_string(syntax.column));
    }
    if (!jv.is_object()) throw usage_error(file_name + " must hold a JSON object in Graph's policy shape");
    if (const auto number = util::inexact_number(*file_text)) {
      throw usage_error(file_name + " holds the number " + *number +
                        ", which cannot be sent exactly (more than 15 significant digits, out of range, or -0)");
    }
    check_file_keys(*file_text, file_name);
    try {
      wanted = json::value_to<Policy>(jv);
    } catch (const std::invalid_argument& e) {
      throw usage_error(file_name + ": " + e.what());
    }
    if (!tenant.empty() && wanted.tenant_id.value && util::to_lower(*wanted.tenant_id.value) != tenant) {
      throw usage_error(file_name + " is for tenant " + *wanted.tenant_id.value + ", not " + tenant);
    }
    wanted.tenant_id = {};
    wanted.deleted_date_time = {};
  }
  for (const auto* flag : {&flags.display_name, &flags.external_cloud_app_id}) {
    if (*flag && !util::is_valid_utf8(**flag)) {
      throw usage_error(std::string(flag == &flags.display_name ? "--display-name" : "--external-cloud-app-id") +
                        " is not valid UTF-8");
    }
  }
  if (flags.display_name) wanted.display_name = Property<std::string>::of(*flags.display_name);
  if (flags.user_sync) wanted.user_sync_inbound = Property<InboundSync>::of({Property<bool>::of(*flags.user_sync), {}});
  if (flags.group_sync) {
    wanted.group_sync_inbound = Property<InboundSync>::of({Property<bool>::of(*flags.group_sync), {}});
  }
  if (flags.external_cloud_app_id) {
    wanted.external_cloud_authorized_application_id = Property<std::string>::of(*flags.external_cloud_app_id);
  }

  if (!beta) {
    if (wanted.group_sync_inbound.present) throw usage_error("groupSyncInbound (--group-sync) needs --api-version beta");
    if (wanted.extra.contains(k_role_enabled_group_sync)) {
      throw usage_error(std::string(k_role_enabled_group_sync) + " needs --api-version beta");
    }
    if (wanted.external_cloud_authorized_application_id.present) {
      throw usage_error("externalCloudAuthorizedApplicationId (--external-cloud-app-id) needs --api-version beta");
    }
  }
  const bool nothing = !wanted.display_name.present && !wanted.user_sync_inbound.present &&
                       !wanted.group_sync_inbound.present && !wanted.external_cloud_authorized_application_id.present &&
                       wanted.extra.empty();
  if (nothing) {
    throw usage_error(
        "set needs at least one field: --display-name, --user-sync, --group-sync, --external-cloud-app-id or "
        "--from-file");
  }
  return wanted;
}

const char* action_name(SetAction action) {
  switch (action) {
    case SetAction::create:
      return "create";
    case SetAction::update:
      return "update";
    case SetAction::unchanged:
      break;
  }
  return "unchanged";
}

SetPlan plan_set(const std::optional<Policy>& current, const Policy& desired) {
  SetPlan plan;
  if (!current) {
    plan.action = SetAction::create;
    plan.body = desired;
    json::value jv = json::value_from(desired);
    for (const auto& [key, value] : jv.get_object()) plan.changed.emplace_back(key);
    return plan;
  }
  const Policy& have = *current;
  Policy& patch = plan.body;
  if (desired.display_name.present && !same_value(have.display_name, desired.display_name)) {
    patch.display_name = desired.display_name;
    plan.changed.emplace_back("displayName");
  }
  if (desired.user_sync_inbound.present && !inbound_satisfied(have.user_sync_inbound, desired.user_sync_inbound)) {
    patch.user_sync_inbound = desired.user_sync_inbound;
    plan.changed.emplace_back("userSyncInbound");
  }
  if (desired.group_sync_inbound.present && !inbound_satisfied(have.group_sync_inbound, desired.group_sync_inbound)) {
    patch.group_sync_inbound = desired.group_sync_inbound;
    plan.changed.emplace_back("groupSyncInbound");
  }
  if (desired.external_cloud_authorized_application_id.present &&
      !same_value(have.external_cloud_authorized_application_id, desired.external_cloud_authorized_application_id)) {
    patch.external_cloud_authorized_application_id = desired.external_cloud_authorized_application_id;
    plan.changed.emplace_back("externalCloudAuthorizedApplicationId");
  }
  for (const auto& [key, value] : desired.extra) {
    const auto* old = have.extra.if_contains(key);
    if (old ? *old != value : !value.is_null()) {
      patch.extra[key] = value;
      plan.changed.emplace_back(key);
    }
  }
  plan.action = plan.changed.empty() ? SetAction::unchanged : SetAction::update;
  return plan;
}

}  // namespace xtsync::graph
