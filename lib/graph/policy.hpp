// crossTenantIdentitySyncPolicyPartner and its inbound-sync settings, with Boost.JSON
// conversions. Properties this version does not know are kept in `extra` and written back
// unchanged; `@odata.*` annotations are dropped when reading.
#pragma once

#include <boost/json/fwd.hpp>
#include <array>
#include <boost/json/object.hpp>
#include <string>
#include <string_view>

#include "graph/property.hpp"

namespace xtsync::graph {

// crossTenantUserSyncInbound / crossTenantGroupSyncInbound: one flag, same shape.
struct InboundSync {
  Property<bool> is_sync_allowed;
  boost::json::object extra;

  bool operator==(const InboundSync&) const = default;
};

struct Policy {
  Property<std::string> tenant_id;
  Property<std::string> display_name;
  Property<InboundSync> user_sync_inbound;
  Property<InboundSync> group_sync_inbound;  // beta only
  Property<std::string> external_cloud_authorized_application_id;  // beta only, opaque
  Property<std::string> deleted_date_time;  // beta only, set on soft-deleted items
  boost::json::object extra;

  bool operator==(const Policy&) const = default;
};

// The property names this version knows, as Graph spells them; a user's file may hold no others.
// roleEnabledGroupSyncInbound is undocumented (Microsoft365DSC writes it, beta only): it is
// accepted from files and passed through in `extra`, not modelled.
inline constexpr std::string_view k_role_enabled_group_sync = "roleEnabledGroupSyncInbound";
inline constexpr std::array<std::string_view, 7> k_policy_keys{
    "tenantId", "displayName", "userSyncInbound", "groupSyncInbound", "externalCloudAuthorizedApplicationId",
    k_role_enabled_group_sync, "deletedDateTime"};
inline constexpr std::array<std::string_view, 1> k_inbound_sync_keys{"isSyncAllowed"};

// Reading throws std::invalid_argument naming the property when a value has the wrong type.
InboundSync tag_invoke(boost::json::value_to_tag<InboundSync>, const boost::json::value& jv);
void tag_invoke(boost::json::value_from_tag, boost::json::value& jv, const InboundSync& s);
Policy tag_invoke(boost::json::value_to_tag<Policy>, const boost::json::value& jv);
void tag_invoke(boost::json::value_from_tag, boost::json::value& jv, const Policy& p);

// The sync flag of an optional setting: nullopt when the setting or its flag is absent or null.
std::optional<bool> sync_allowed(const Property<InboundSync>& setting);

}  // namespace xtsync::graph
