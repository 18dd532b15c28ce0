// Which path segments Microsoft Graph's metadata knows, so the router can tell a real Graph path
// the emulator does not serve (501, "not emulated") from one Graph itself would reject (400).
#pragma once

#include <string_view>

#include "emulator/graph_target.hpp"

namespace xtsync::emulator {

// The resource a segment is looked up under.
enum class GraphNode {
  root,           // /{version}/<entity set or singleton>
  policies,       // /policies/<member>
  access_policy,  // /policies/crossTenantAccessPolicy/<member>
  partner,        // .../partners/{id}/<member>
  sync_policy,    // .../identitySynchronization/<member>, .../crossTenantSyncPolicyPartners/{id}/<member>
  deleted_items,  // /policies/deletedItems/<member> (beta)
  tenant_relationships,  // /tenantRelationships/<member>
};

// Whether the version's metadata has `segment` (case-insensitively) as a property or navigation
// property of `node`.
bool is_graph_member(GraphNode node, std::string_view segment, ApiVersion version);

}  // namespace xtsync::emulator
