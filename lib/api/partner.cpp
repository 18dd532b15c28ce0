#include "api/partner.hpp"

#include "error.hpp"
#include "util/domain_name.hpp"
#include "util/guid.hpp"

namespace xtsync::api {

PartnerName parse_partner_name(const std::string& text) {
  if (auto guid = util::normalize_guid(text)) return {*guid, false};
  if (auto domain = util::normalize_domain_name(text)) return {*domain, true};
  throw usage_error("'" + text +
                    "' is neither a tenant ID (a GUID such as 9c5d131d-b1c3-4fc4-9e3f-c6557947d551) nor a domain "
                    "name (such as fabrikam.com)");
}

PartnerResolver::PartnerResolver(graph::Client& client, std::function<void(const std::string&)> note)
    : client_(client), note_(std::move(note)) {}

std::string PartnerResolver::resolve(const PartnerName& name) {
  if (!name.is_domain) return name.text;
  if (const auto it = resolved_.find(name.text); it != resolved_.end()) return it->second;
  const auto info = client_.find_tenant_by_domain(name.text);
  if (!info) {
    Error error(ErrorKind::not_found, "no tenant has the domain name " + name.text);
    error.hint = "check the spelling, or name the partner by its tenant ID";
    throw error;
  }
  resolved_.emplace(name.text, info->tenant_id);
  if (note_) note_(name.text + " \u2192 " + info->tenant_id + (info->display_name.empty() ? "" : " (" + info->display_name + ")"));
  return info->tenant_id;
}

}  // namespace xtsync::api
