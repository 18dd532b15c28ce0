// The hosts and audiences that belong together in one Microsoft cloud.
#pragma once

#include <string>

namespace xtsync::auth {

struct Cloud {
  std::string name;                 // global | usgov | usgov-dod | china
  std::string graph_root;           // https://graph.microsoft.com
  std::string authority_host;       // https://login.microsoftonline.com (no trailing slash)
  std::string federation_audience;  // api://AzureADTokenExchange

  // The resource scope for app-only tokens, e.g. https://graph.microsoft.com/.default
  std::string default_scope() const { return graph_root + "/.default"; }
};

// Throws Error(usage) for an unknown name.
Cloud cloud_by_name(const std::string& name);

// Normalizes an authority override: adds https:// when no scheme is given (azure-identity
// accepts bare host names) and drops a trailing slash; http:// only for loopback hosts.
std::string normalize_authority(const std::string& value);

}  // namespace xtsync::auth
