#include "emulator/partner_schema.hpp"

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

enum class Kind { boolean, string, object };

struct Property {
  std::string_view name;
  Kind kind;
  bool in_v1;
};

// Membership follows the metadata (v1.0-Prod.csdl; the beta entity-type list of msgraph-metadata),
// order the docs' examples (the v1.0 create response in graph-api.md §4.1, the beta
// deleted-partners listing). The docs-only entries are absent from today's metadata but present
// in the documented responses, so they stay in the versions whose examples show them.
constexpr std::array<Property, 17> k_properties = {{
    {"displayName", Kind::string, false},  // docs-only
    {"isServiceProvider", Kind::boolean, true},
    {"isInMultiTenantOrganization", Kind::boolean, true},
    {"blockServiceProviderOutboundAccess", Kind::boolean, false},
    {"inboundTrust", Kind::object, true},
    {"b2bCollaborationOutbound", Kind::object, true},
    {"b2bCollaborationInbound", Kind::object, true},
    {"b2bDirectConnectOutbound", Kind::object, true},
    {"b2bDirectConnectInbound", Kind::object, true},
    {"tenantRestrictions", Kind::object, true},
    {"invitationRedemptionIdentityProviderConfiguration", Kind::object, false},  // docs-only
    {"crossCloudMeetingConfiguration", Kind::object, true},                     // docs-only
    {"automaticUserConsentSettings", Kind::object, true},
    {"protectedContentSharing", Kind::object, false},  // docs-only
    {"appServiceConnectInbound", Kind::object, true},
    {"m365CollaborationInbound", Kind::object, true},
    {"m365CollaborationOutbound", Kind::object, true},
}};

json::value default_value(std::string_view name) {
  if (name == "isInMultiTenantOrganization") return false;
  if (name == "crossCloudMeetingConfiguration" || name == "automaticUserConsentSettings" ||
      name == "protectedContentSharing") {
    return json::object{{"inboundAllowed", nullptr}, {"outboundAllowed", nullptr}};
  }
  return nullptr;
}

const Property* find_property(std::string_view name, ApiVersion version) {
  const auto it = std::find_if(k_properties.begin(), k_properties.end(), [&](const Property& p) {
    return p.name == name && (version == ApiVersion::beta || p.in_v1);
  });
  return it == k_properties.end() ? nullptr : &*it;
}

void expect_kind(const json::value& value, std::string_view key, Kind kind) {
  switch (kind) {
    case Kind::boolean:
      expect_bool_or_null(value, key);
      break;
    case Kind::string:
      expect_string_or_null(value, key);
      break;
    case Kind::object:
      expect_object_or_null(value, key);
      break;
  }
}

// Everything but tenantId; the caller decides what tenantId must be.
json::object parse_properties(const json::object& input, ApiVersion version) {
  json::object out;
  for (const auto& [key, value] : input) {
    if (is_annotation(key) || key == "tenantId") continue;
    if (key == "identitySynchronization") {
      throw GraphError(
          400, "BadRequest",
          "The navigation property 'identitySynchronization' cannot be written through the partner; "
          "use PUT on .../partners/{id}/identitySynchronization.");
    }
    const Property* property = find_property(key, version);
    if (!property) throw_unknown_property(key, k_partner_type);
    expect_kind(value, key, property->kind);
    out[key] = value;
  }
  return out;
}

[[noreturn]] void throw_bad_tenant_id() {
  throw GraphError(400, "Request_BadRequest",
                   "Invalid value specified for property 'tenantId' of resource "
                   "'CrossTenantAccessPolicyConfigurationPartner'.");
}

}  // namespace

json::object new_partner(std::string_view tenant_id) {
  json::object out{{"tenantId", tenant_id}};
  for (const auto& p : k_properties) out[p.name] = default_value(p.name);
  return out;
}

PartnerChanges parse_partner_create(std::string_view body, ApiVersion version) {
  const json::object input = parse_object_body(body);
  const auto* tenant = input.if_contains("tenantId");
  if (!tenant || tenant->is_null()) {
    throw GraphError(400, "Request_BadRequest",
                     "The property 'tenantId' is required to create a partner configuration.");
  }
  const auto id = tenant->is_string() ? util::normalize_guid(tenant->as_string()) : std::nullopt;
  if (!id) throw_bad_tenant_id();
  return {*id, parse_properties(input, version)};
}

PartnerChanges parse_partner_update(std::string_view body, ApiVersion version, std::string_view path_tenant) {
  const json::object input = parse_object_body(body);
  if (const auto* tenant = input.if_contains("tenantId")) {
    const auto id = tenant->is_string() ? util::normalize_guid(tenant->as_string()) : std::nullopt;
    if (id != path_tenant) throw_bad_tenant_id();
  }
  return {std::string(path_tenant), parse_properties(input, version)};
}

void check_stored_partner(const json::object& stored) {
  for (const auto& [key, value] : stored) {
    if (key == "tenantId" || is_annotation(key)) continue;
    if (key == "deletedDateTime") {
      if (!value.is_string() && !value.is_null()) {
        throw GraphError(400, "BadRequest", "'deletedDateTime' must be a string such as 2025-06-18T23:11:01Z");
      }
      continue;
    }
    if (const Property* property = find_property(key, ApiVersion::beta)) expect_kind(value, key, property->kind);
  }
}

json::object render_partner(const json::object& stored, ApiVersion version) {
  json::object out{{"tenantId", stored.contains("tenantId") ? stored.at("tenantId") : json::value(nullptr)}};
  for (const auto& p : k_properties) {
    if (version == ApiVersion::v1_0 && !p.in_v1) continue;
    const auto* value = stored.if_contains(p.name);
    out[p.name] = value ? *value : default_value(p.name);
  }
  return out;
}

std::vector<std::string> parse_partner_select(std::string_view select, ApiVersion version) {
  std::vector<std::string> names;
  std::size_t start = 0;
  while (start <= select.size()) {
    const auto comma = std::min(select.find(',', start), select.size());
    const auto raw = util::trim(select.substr(start, comma - start));
    start = comma + 1;
    if (raw.empty()) continue;
    if (util::iequals(raw, "tenantId")) {
      names.emplace_back("tenantId");
      continue;
    }
    const auto it = std::find_if(k_properties.begin(), k_properties.end(), [&](const Property& p) {
      return util::iequals(p.name, raw) && (version == ApiVersion::beta || p.in_v1);
    });
    if (it == k_properties.end()) {
      throw GraphError(400, "BadRequest",
                       fmt::format("Could not find a property named '{}' on type '{}'.", raw, k_partner_type));
    }
    names.emplace_back(it->name);
  }
  return names;
}

json::object select_partner(const json::object& rendered, const std::vector<std::string>& select) {
  json::object out;
  for (const auto& [key, value] : rendered) {
    if (key == "tenantId" || std::find(select.begin(), select.end(), key) != select.end()) out[key] = value;
  }
  return out;
}

}  // namespace xtsync::emulator
