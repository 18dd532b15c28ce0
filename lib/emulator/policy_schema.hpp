// crossTenantIdentitySyncPolicyPartner: which properties each API version knows, how a request
// body is validated, and how a stored policy is shown.
#pragma once

#include <boost/json/object.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "emulator/graph_target.hpp"

namespace xtsync::emulator {

inline constexpr std::string_view k_policy_type = "microsoft.graph.crossTenantIdentitySyncPolicyPartner";

// A policy as stored: tenantId plus every documented property, null when unset.
boost::json::object new_policy(std::string_view tenant_id);

// Validates a PUT/PATCH body and returns the properties it sets, nested objects normalised to
// {"isSyncAllowed": bool|null}. Throws GraphError(400) for invalid JSON, a non-object, an unknown
// or version-foreign property, a wrong value type, or a tenantId other than the path's.
boost::json::object parse_policy_changes(std::string_view body, ApiVersion version,
                                         std::string_view path_tenant);

// For seeds and state files: the documented properties (in their beta form) must hold values of
// the documented types, and come back normalised as parse_policy_changes does; other properties
// are kept and served as given (to mimic a property Graph adds). Throws GraphError(400).
boost::json::object normalise_stored_policy(const boost::json::object& stored);

// The stored policy as the API version shows it: documented properties in the docs' order (the
// beta-only ones only in beta), deletedDateTime when the stored copy has one, then any extra
// stored properties.
boost::json::object render_policy(const boost::json::object& stored, ApiVersion version);

// $select: the canonical property names asked for; GraphError(400) for names the type lacks.
std::vector<std::string> parse_select(std::string_view select, ApiVersion version);
// Keeps tenantId (the key) and the selected properties of a rendered policy.
boost::json::object apply_select(const boost::json::object& rendered, const std::vector<std::string>& select);

}  // namespace xtsync::emulator
