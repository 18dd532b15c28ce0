// Naming a partner: its tenant ID, or one of its domain names, resolved through Graph once per
// command and shown ("contoso.com → 9c5d…") so the user sees which tenant is meant.
#pragma once

#include <functional>
#include <map>
#include <string>

#include "graph/client.hpp"

namespace xtsync::api {

// What the user typed, checked before any request: a canonical tenant ID, or a normalized
// domain name still to be resolved. Throws Error(usage) for anything else.
struct PartnerName {
  std::string text;        // lower-case GUID or domain
  bool is_domain = false;
};
PartnerName parse_partner_name(const std::string& text);

class PartnerResolver {
 public:
  // `note` is told each resolution, e.g. "contoso.com → 9c5d131d-…".
  PartnerResolver(graph::Client& client, std::function<void(const std::string&)> note);

  // The tenant ID; a domain is looked up once per resolver. An unknown domain is
  // Error(not_found) naming it.
  std::string resolve(const PartnerName& name);
  std::string resolve(const std::string& text) { return resolve(parse_partner_name(text)); }

 private:
  graph::Client& client_;
  std::function<void(const std::string&)> note_;
  std::map<std::string, std::string> resolved_;
};

}  // namespace xtsync::api
