// crossTenantIdentitySyncPolicyPartner and its inbound-sync settings, with Boost.JSON
// conversions. Properties this version does not know are kept in `extra` and written back
// unchanged; `@odata.*` annotations are dropped when reading.
#pragma once

#include <boost/json/fwd.hpp>
#include <boost/json/object.hpp>
#include <string>

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

// Reading throws std::invalid_argument naming the property when a value has the wrong type.
InboundSync tag_invoke(boost::json::value_to_tag<InboundSync>, const boost::json::value& jv);
void tag_invoke(boost::json::value_from_tag, boost::json::value& jv, const InboundSync& s);
Policy tag_invoke(boost::json::value_to_tag<Policy>, const boost::json::value& jv);
void tag_invoke(boost::json::value_from_tag, boost::json::value& jv, const Policy& p);

// The sync flag of an optional setting: nullopt when the setting or its flag is absent or null.
std::optional<bool> sync_allowed(const Property<InboundSync>& setting);

}  // namespace xtsync::graph
