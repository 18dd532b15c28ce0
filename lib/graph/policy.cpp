#include "graph/policy.hpp"

#include <boost/json.hpp>
#include <cmath>
#include <stdexcept>

namespace xtsync::graph {

namespace json = boost::json;

namespace {

bool is_annotation(json::string_view key) { return key.starts_with("@odata."); }

// Boost.JSON reads 1e400 as infinity and would write it back as `Infinity`, which is not JSON:
// such a value in an unknown property must not reach a request body or the output.
void check_finite(const json::value& jv, std::string_view name) {
  if (jv.is_double() && !std::isfinite(jv.get_double())) {
    throw std::invalid_argument("'" + std::string(name) + "' holds a number too large to represent");
  }
  if (jv.is_array()) {
    for (const auto& item : jv.get_array()) check_finite(item, name);
  } else if (jv.is_object()) {
    for (const auto& [key, value] : jv.get_object()) check_finite(value, name);
  }
}

[[noreturn]] void wrong_type(std::string_view name, std::string_view expected) {
  throw std::invalid_argument("'" + std::string(name) + "' must be " + std::string(expected));
}

const json::object& as_object(const json::value& jv, std::string_view name) {
  if (!jv.is_object()) wrong_type(name, "a JSON object");
  return jv.get_object();
}

Property<std::string> read_string(const json::value& jv, std::string_view name) {
  if (jv.is_null()) return Property<std::string>::null();
  if (!jv.is_string()) wrong_type(name, "a string or null");
  return Property<std::string>::of(std::string(jv.get_string()));
}

Property<bool> read_bool(const json::value& jv, std::string_view name) {
  if (jv.is_null()) return Property<bool>::null();
  if (!jv.is_bool()) wrong_type(name, "true, false or null");
  return Property<bool>::of(jv.get_bool());
}

Property<InboundSync> read_inbound(const json::value& jv, std::string_view name) {
  if (jv.is_null()) return Property<InboundSync>::null();
  InboundSync s;
  for (const auto& [key, value] : as_object(jv, name)) {
    if (key == "isSyncAllowed") {
      s.is_sync_allowed = read_bool(value, std::string(name) + ".isSyncAllowed");
    } else if (!is_annotation(key)) {
      check_finite(value, std::string(name) + "." + std::string(key));
      s.extra.emplace(key, value);
    }
  }
  return Property<InboundSync>::of(std::move(s));
}

template <class T>
void write(json::object& out, std::string_view key, const Property<T>& p) {
  if (!p.present) return;
  if (p.value) {
    out[key] = json::value_from(*p.value);
  } else {
    out[key] = nullptr;
  }
}

}  // namespace

InboundSync tag_invoke(json::value_to_tag<InboundSync>, const json::value& jv) {
  auto p = read_inbound(jv, "isSyncAllowed setting");
  return p.value.value_or(InboundSync{});
}

void tag_invoke(json::value_from_tag, json::value& jv, const InboundSync& s) {
  json::object out;
  write(out, "isSyncAllowed", s.is_sync_allowed);
  for (const auto& [key, value] : s.extra) out[key] = value;
  jv = std::move(out);
}

Policy tag_invoke(json::value_to_tag<Policy>, const json::value& jv) {
  Policy p;
  for (const auto& [key, value] : as_object(jv, "the policy")) {
    if (key == "tenantId") {
      p.tenant_id = read_string(value, key);
    } else if (key == "displayName") {
      p.display_name = read_string(value, key);
    } else if (key == "userSyncInbound") {
      p.user_sync_inbound = read_inbound(value, key);
    } else if (key == "groupSyncInbound") {
      p.group_sync_inbound = read_inbound(value, key);
    } else if (key == "externalCloudAuthorizedApplicationId") {
      p.external_cloud_authorized_application_id = read_string(value, key);
    } else if (key == "deletedDateTime") {
      p.deleted_date_time = read_string(value, key);
    } else if (!is_annotation(key)) {
      check_finite(value, key);
      p.extra.emplace(key, value);
    }
  }
  return p;
}

void tag_invoke(json::value_from_tag, json::value& jv, const Policy& p) {
  json::object out;
  write(out, "tenantId", p.tenant_id);
  write(out, "displayName", p.display_name);
  write(out, "userSyncInbound", p.user_sync_inbound);
  write(out, "groupSyncInbound", p.group_sync_inbound);
  write(out, "externalCloudAuthorizedApplicationId", p.external_cloud_authorized_application_id);
  write(out, "deletedDateTime", p.deleted_date_time);
  for (const auto& [key, value] : p.extra) out[key] = value;
  jv = std::move(out);
}

std::optional<bool> sync_allowed(const Property<InboundSync>& setting) {
  if (!setting.value) return std::nullopt;
  return setting.value->is_sync_allowed.value;
}

}  // namespace xtsync::graph
