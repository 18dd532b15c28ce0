// The `scope` parameter of the token and device-code endpoints: one resource, and either its
// .default (app-only flows) or delegated permissions plus the OpenID Connect scopes.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace xtsync::emulator {

// Resource of bare delegated scopes ("Policy.Read.All"), as in Entra ID.
inline constexpr std::string_view k_graph_resource = "https://graph.microsoft.com";

// "<resource>/.default" → resource. Throws IdentityError(400 invalid_scope, AADSTS70011) for
// anything else, including several scopes.
std::string app_scope_resource(std::string_view scope);

struct DelegatedScopes {
  std::string resource;
  // Permissions on the resource (scp); `.default` expands to `default_permission`.
  std::vector<std::string> permissions;
  std::vector<std::string> oidc;  // openid, profile, email, offline_access as requested
  bool offline_access = false;
  bool openid = false;

  // The `scope` of a token response: resource-qualified permissions, then the OIDC scopes.
  std::string response_scope() const;
  // The `scp` claim: permissions and OIDC scopes except offline_access, space-separated.
  std::string scp() const;
};

// Throws IdentityError(400 invalid_scope): AADSTS70011 for an empty or invalid scope, AADSTS28000
// when the scopes name more than one resource.
DelegatedScopes parse_delegated_scopes(std::string_view scope, std::string_view default_permission);

}  // namespace xtsync::emulator
