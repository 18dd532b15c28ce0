// Which emulated Graph resource a request path names, and the methods each one allows.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "emulator/graph_target.hpp"

namespace xtsync::emulator {

enum class Resource {
  partners,
  partner,
  policy,
  deleted_list,
  deleted_item,
  restore,
  batch,             // /$batch
  tenant_by_domain,  // /tenantRelationships/findTenantInformationByDomainName(domainName='…')
  tenant_by_id,      // /tenantRelationships/findTenantInformationByTenantId(tenantId='…')
};

struct Route {
  Resource resource = Resource::partners;
  std::string tenant;  // lower-case; empty for collections; the domain name for tenant_by_domain
};

// `segments[0]` is the version. Throws GraphError: 400 "Resource not found for the segment '…'."
// for a path Graph does not have (deletedItems under v1.0 included), 400 for a tenant key that is
// not a GUID, and 501 NotEmulated for real Graph paths (per the metadata, graph_paths.hpp) this
// emulator does not serve.
Route match_route(const std::vector<std::string>& segments, ApiVersion version);

std::vector<std::string_view> allowed_methods(Resource resource);

}  // namespace xtsync::emulator
