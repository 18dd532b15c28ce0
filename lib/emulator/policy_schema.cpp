#include "emulator/policy_schema.hpp"

#include <fmt/format.h>
#include <algorithm>
#include <array>

#include "emulator/graph_response.hpp"
#include "emulator/json_body.hpp"
#include "util/guid.hpp"
#include "util/strings.hpp"

namespace xtsync::emulator {

namespace json = boost::json;

namespace {

enum class Kind { string, sync_inbound };

struct Property {
  std::string_view name;
  Kind kind;
  bool beta_only;
  std::string_view nested_type;  // OData type of a sync_inbound object, for error messages
  // Whether the nested isSyncAllowed may be null: the beta metadata declares it Nullable="false"
  // on crossTenantGroupSyncInbound, not on crossTenantUserSyncInbound.
  bool sync_allowed_nullable = true;
};

// Writable properties. roleEnabledGroupSyncInbound is undocumented but Microsoft365DSC writes it;
// it shares groupSyncInbound's type.
constexpr std::array<Property, 5> k_writable = {{
    {"displayName", Kind::string, false, "", true},
    {"userSyncInbound", Kind::sync_inbound, false, "microsoft.graph.crossTenantUserSyncInbound", true},
    {"groupSyncInbound", Kind::sync_inbound, true, "microsoft.graph.crossTenantGroupSyncInbound", false},
    {"externalCloudAuthorizedApplicationId", Kind::string, true, "", true},
    {"roleEnabledGroupSyncInbound", Kind::sync_inbound, true, "microsoft.graph.crossTenantGroupSyncInbound", false},
}};

// Rendering order, following the beta resource page and the deleted-items examples.
constexpr std::array<std::string_view, 6> k_beta_order = {
    "tenantId",        "displayName",     "deletedDateTime", "externalCloudAuthorizedApplicationId",
    "userSyncInbound", "groupSyncInbound"};
constexpr std::array<std::string_view, 3> k_v1_order = {"tenantId", "displayName", "userSyncInbound"};

const Property* find_writable(std::string_view name, ApiVersion version) {
  for (const auto& p : k_writable) {
    if (p.name == name && (version == ApiVersion::beta || !p.beta_only)) return &p;
  }
  return nullptr;
}

bool is_beta_only(std::string_view name) {
  if (name == "deletedDateTime") return true;
  return std::any_of(k_writable.begin(), k_writable.end(),
                     [&](const Property& p) { return p.beta_only && p.name == name; });
}

json::value normalise_sync_inbound(const json::value& value, const Property& property) {
  expect_object_or_null(value, property.name);
  if (value.is_null()) return nullptr;
  json::value allowed = nullptr;
  for (const auto& [key, item] : value.as_object()) {
    if (is_annotation(key)) continue;
    if (key != "isSyncAllowed") throw_unknown_property(key, property.nested_type);
    expect_bool_or_null(item, key);
    if (item.is_null() && !property.sync_allowed_nullable) {
      // The OData reader's wording for a null where the metadata forbids one.
      throw GraphError(400, "BadRequest",
                       "A null value was found for the property named 'isSyncAllowed', which has the expected "
                       "type 'Edm.Boolean[Nullable=False]'. The expected type 'Edm.Boolean[Nullable=False]' "
                       "does not allow null values.");
    }
    allowed = item;
  }
  return json::object{{"isSyncAllowed", allowed}};
}

}  // namespace

json::object new_policy(std::string_view tenant_id) {
  return json::object{{"tenantId", tenant_id},
                      {"displayName", nullptr},
                      {"externalCloudAuthorizedApplicationId", nullptr},
                      {"userSyncInbound", nullptr},
                      {"groupSyncInbound", nullptr}};
}

json::object parse_policy_changes(std::string_view body, ApiVersion version, std::string_view path_tenant) {
  const json::object input = parse_object_body(body);
  json::object changes;
  for (const auto& [key, value] : input) {
    if (is_annotation(key)) continue;
    if (key == "tenantId") {
      expect_string_or_null(value, key);
      const auto given = value.is_string() ? util::normalize_guid(value.as_string()) : std::nullopt;
      if (given != path_tenant) {
        throw GraphError(400, "BadRequest",
                         fmt::format("The value of property 'tenantId' must match the tenant ID '{}' in the "
                                     "request URL.",
                                     path_tenant));
      }
      continue;
    }
    const Property* property = find_writable(key, version);
    if (!property) throw_unknown_property(key, k_policy_type);
    if (property->kind == Kind::string) {
      expect_string_or_null(value, key);
      changes[key] = value;
    } else {
      changes[key] = normalise_sync_inbound(value, *property);
    }
  }
  return changes;
}

json::object normalise_stored_policy(const json::object& stored) {
  json::object out;
  for (const auto& [key, value] : stored) {
    out[key] = value;
    if (key == "tenantId" || is_annotation(key)) continue;
    if (key == "deletedDateTime") {
      if (!value.is_string() && !value.is_null()) {
        throw GraphError(400, "BadRequest", "'deletedDateTime' must be a string such as 2025-06-18T23:11:01Z");
      }
      continue;
    }
    const Property* property = find_writable(key, ApiVersion::beta);
    if (!property) continue;  // unknown: kept and served as given (see the header)
    if (property->kind == Kind::string) {
      expect_string_or_null(value, key);
    } else {
      out[key] = normalise_sync_inbound(value, *property);  // throws on a wrong shape or a forbidden null
    }
  }
  return out;
}

json::object render_policy(const json::object& stored, ApiVersion version) {
  json::object out;
  const bool beta = version == ApiVersion::beta;
  const auto emit = [&](std::string_view name) {
    const auto* value = stored.if_contains(name);
    if (value) {
      out[name] = *value;
    } else if (name != "deletedDateTime") {
      out[name] = nullptr;
    }
  };
  if (beta) {
    for (auto name : k_beta_order) emit(name);
  } else {
    for (auto name : k_v1_order) emit(name);
  }
  for (const auto& [key, value] : stored) {
    if (out.contains(key)) continue;
    if (!beta && is_beta_only(key)) continue;
    out[key] = value;
  }
  return out;
}

std::vector<std::string> parse_select(std::string_view select, ApiVersion version) {
  // Selectable: every rendered property (beta's list holds them all) plus the undocumented one.
  std::vector<std::string_view> known(k_beta_order.begin(), k_beta_order.end());
  known.push_back("roleEnabledGroupSyncInbound");
  std::vector<std::string> names;
  std::size_t start = 0;
  while (start <= select.size()) {
    const auto comma = std::min(select.find(',', start), select.size());
    const auto raw = util::trim(select.substr(start, comma - start));
    start = comma + 1;
    if (raw.empty()) continue;
    const auto match = std::find_if(known.begin(), known.end(), [&](std::string_view name) {
      return util::iequals(name, raw) && (version == ApiVersion::beta || !is_beta_only(name));
    });
    if (match == known.end()) {
      throw GraphError(400, "BadRequest",
                       fmt::format("Could not find a property named '{}' on type '{}'.", raw, k_policy_type));
    }
    names.emplace_back(*match);
  }
  return names;
}

json::object apply_select(const json::object& rendered, const std::vector<std::string>& select) {
  json::object out;
  for (const auto& [key, value] : rendered) {
    if (key == "tenantId" || std::find(select.begin(), select.end(), key) != select.end()) out[key] = value;
  }
  return out;
}

}  // namespace xtsync::emulator
