#include "emulator/graph_routes.hpp"

#include <fmt/format.h>

#include "emulator/graph_response.hpp"
#include "util/guid.hpp"
#include "util/strings.hpp"

namespace xtsync::emulator {

namespace {

[[noreturn]] void throw_unknown_segment(std::string_view segment) {
  throw GraphError(400, "BadRequest", fmt::format("Resource not found for the segment '{}'.", segment));
}

[[noreturn]] void throw_not_emulated(const std::vector<std::string>& segments) {
  throw GraphError(501, "NotImplemented",
                   fmt::format("The xtsync emulator does not implement '/{}'.", fmt::join(segments, "/")));
}

std::string tenant_key(std::string_view segment) {
  auto id = util::normalize_guid(segment);
  if (!id) {
    throw GraphError(400, "Request_BadRequest", fmt::format("Invalid object identifier '{}'.", segment));
  }
  return *id;
}

}  // namespace

Route match_route(const std::vector<std::string>& s, ApiVersion version) {
  const auto is = [&](std::size_t i, std::string_view name) { return util::iequals(s[i], name); };
  if (s.size() == 1) throw_not_emulated(s);
  if (!is(1, "policies")) throw_unknown_segment(s[1]);
  if (s.size() == 2) throw_not_emulated(s);
  if (is(2, "crossTenantAccessPolicy")) {
    if (s.size() == 3) throw_not_emulated(s);
    if (!is(3, "partners")) throw_unknown_segment(s[3]);
    if (s.size() == 4) return {Resource::partners, {}};
    std::string tenant = tenant_key(s[4]);
    if (s.size() == 5) return {Resource::partner, std::move(tenant)};
    if (!is(5, "identitySynchronization")) throw_unknown_segment(s[5]);
    if (s.size() == 6) return {Resource::policy, std::move(tenant)};
    throw_unknown_segment(s[6]);
  }
  if (is(2, "deletedItems")) {
    if (version == ApiVersion::v1_0) throw_unknown_segment(s[2]);
    if (s.size() == 3 || is(3, "crossTenantPartners")) throw_not_emulated(s);
    if (!is(3, "crossTenantSyncPolicyPartners")) throw_unknown_segment(s[3]);
    if (s.size() == 4) return {Resource::deleted_list, {}};
    std::string tenant = tenant_key(s[4]);
    if (s.size() == 5) return {Resource::deleted_item, std::move(tenant)};
    if (s.size() == 6 && (is(5, "restore") || is(5, "microsoft.graph.restore"))) {
      return {Resource::restore, std::move(tenant)};
    }
    throw_unknown_segment(s[5]);
  }
  throw_unknown_segment(s[2]);
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
      return {"POST"};
  }
  return {};
}

}  // namespace xtsync::emulator
