#include "emulator/graph_routes.hpp"

#include <fmt/format.h>

#include "emulator/graph_paths.hpp"
#include "emulator/graph_response.hpp"
#include "util/guid.hpp"
#include "util/strings.hpp"

namespace xtsync::emulator {

namespace {

[[noreturn]] void throw_unknown_segment(std::string_view segment) {
  throw GraphError(400, "BadRequest", fmt::format("Resource not found for the segment '{}'.", segment));
}

// Not a Graph-looking error on purpose: a client must not mistake it for what Graph would say.
[[noreturn]] void throw_not_emulated(const std::vector<std::string>& segments) {
  throw GraphError(501, "NotEmulated",
                   fmt::format("Not emulated: '/{}' is a Microsoft Graph path, but xtsync-emulator serves only "
                               "cross-tenant access partners and their identitySynchronization policies.",
                               fmt::join(segments, "/")));
}

// A segment the metadata has under `node` is real Graph the emulator does not serve; anything else
// is what Graph itself rejects.
[[noreturn]] void throw_unserved(const std::vector<std::string>& s, std::size_t i, GraphNode node,
                                 ApiVersion version) {
  if (is_graph_member(node, s[i], version)) throw_not_emulated(s);
  throw_unknown_segment(s[i]);
}

std::string tenant_key(std::string_view segment) {
  auto id = util::normalize_guid(segment);
  if (!id) {
    throw GraphError(400, "Request_BadRequest", fmt::format("Invalid object identifier '{}'.", segment));
  }
  return *id;
}

bool is_function(std::string_view segment, std::string_view name) {
  return util::iequals(segment, name) || util::iequals(segment, fmt::format("microsoft.graph.{}", name));
}

// tenantRelationships' two lookup functions; other members are real Graph the emulator lacks.
Route match_tenant_relationships(const std::vector<std::string>& s, ApiVersion version) {
  if (s.size() < 3) throw_not_emulated(s);
  const bool by_domain = is_function(s[2], "findTenantInformationByDomainName");
  const bool by_id = is_function(s[2], "findTenantInformationByTenantId");
  if (!by_domain && !by_id) {
    if (is_graph_member(GraphNode::tenant_relationships, s[2], version)) throw_not_emulated(s);
    throw_unknown_segment(s[2]);
  }
  if (s.size() == 3) {
    throw GraphError(400, "BadRequest",
                     fmt::format("The parameter '{}' is missing.", by_domain ? "domainName" : "tenantId"));
  }
  if (s.size() > 4) throw_unknown_segment(s[4]);
  if (by_domain) return {Resource::tenant_by_domain, util::to_lower(s[3])};
  return {Resource::tenant_by_id, tenant_key(s[3])};
}

}  // namespace

Route match_route(const std::vector<std::string>& s, ApiVersion version) {
  const auto is = [&](std::size_t i, std::string_view name) { return util::iequals(s[i], name); };
  if (s.size() == 1) throw_not_emulated(s);  // the service document
  if (s.size() == 2 && is(1, "$batch")) return {Resource::batch, {}};
  if (is(1, "tenantRelationships")) return match_tenant_relationships(s, version);
  if (!is(1, "policies")) throw_unserved(s, 1, GraphNode::root, version);
  if (s.size() == 2) throw_not_emulated(s);
  if (is(2, "crossTenantAccessPolicy")) {
    if (s.size() == 3) throw_not_emulated(s);
    if (!is(3, "partners")) throw_unserved(s, 3, GraphNode::access_policy, version);
    if (s.size() == 4) return {Resource::partners, {}};
    std::string tenant = tenant_key(s[4]);
    if (s.size() == 5) return {Resource::partner, std::move(tenant)};
    if (!is(5, "identitySynchronization")) throw_unserved(s, 5, GraphNode::partner, version);
    if (s.size() == 6) return {Resource::policy, std::move(tenant)};
    throw_unserved(s, 6, GraphNode::sync_policy, version);
  }
  if (is(2, "deletedItems") && version == ApiVersion::beta) {
    if (s.size() == 3) throw_not_emulated(s);
    if (!is(3, "crossTenantSyncPolicyPartners")) throw_unserved(s, 3, GraphNode::deleted_items, version);
    if (s.size() == 4) return {Resource::deleted_list, {}};
    std::string tenant = tenant_key(s[4]);
    if (s.size() == 5) return {Resource::deleted_item, std::move(tenant)};
    if (s.size() == 6 && (is(5, "restore") || is(5, "microsoft.graph.restore"))) {
      return {Resource::restore, std::move(tenant)};
    }
    throw_unserved(s, 5, GraphNode::sync_policy, version);
  }
  throw_unserved(s, 2, GraphNode::policies, version);  // v1.0 has no deletedItems: 400 there
}

std::vector<std::string_view> allowed_methods(Resource resource) {
  switch (resource) {
    case Resource::partners:
      return {"GET", "POST"};
    case Resource::partner:
      return {"GET", "PATCH", "DELETE"};
    case Resource::policy:
      return {"GET", "PUT", "PATCH", "DELETE"};
    case Resource::deleted_list:
      return {"GET"};
    case Resource::deleted_item:
      return {"GET", "DELETE"};
    case Resource::restore:
    case Resource::batch:
      return {"POST"};
    case Resource::tenant_by_domain:
    case Resource::tenant_by_id:
      return {"GET"};
  }
  return {};
}

}  // namespace xtsync::emulator
