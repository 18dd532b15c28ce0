// crossTenantAccessPolicyConfigurationPartner: the parent object a sync policy hangs off.
// Its many settings are stored and echoed, not interpreted.
#pragma once

#include <boost/json/object.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "emulator/graph_target.hpp"

namespace xtsync::emulator {

inline constexpr std::string_view k_partner_type =
    "microsoft.graph.crossTenantAccessPolicyConfigurationPartner";

// A partner as stored: tenantId and every property either version shows, at its default.
boost::json::object new_partner(std::string_view tenant_id);

// A validated POST or PATCH body. POST needs a GUID tenantId (GraphError 400 Request_BadRequest
// otherwise); PATCH accepts one only when it equals the path's.
struct PartnerChanges {
  std::string tenant_id;  // lower-case; from the body on POST, from the path on PATCH
  boost::json::object properties;
};
PartnerChanges parse_partner_create(std::string_view body, ApiVersion version);
PartnerChanges parse_partner_update(std::string_view body, ApiVersion version, std::string_view path_tenant);

// For seeds and state files: the documented properties must hold values of the documented kinds
// (other properties are kept and served as given). Throws GraphError(400).
void check_stored_partner(const boost::json::object& stored);

// The stored partner as the API version shows it (the shapes of the docs' examples).
boost::json::object render_partner(const boost::json::object& stored, ApiVersion version);

// $select: the canonical names of the properties asked for; GraphError(400) for a name the
// version's type lacks.
std::vector<std::string> parse_partner_select(std::string_view select, ApiVersion version);
// A rendered partner with only tenantId (the key, which Graph always returns) and `select`.
boost::json::object select_partner(const boost::json::object& rendered, const std::vector<std::string>& select);

}  // namespace xtsync::emulator
