// Interactive sign-in with the OAuth 2.0 device authorization grant (RFC 8628) against the
// Microsoft identity platform, and redemption of the refresh token it yields.
#pragma once

#include <chrono>
#include <string>
#include <string_view>

#include "auth/credential.hpp"

namespace xtsync::auth {

// "Microsoft Graph Command Line Tools": the first-party public client that the Graph PowerShell
// SDK and the Graph CLI use for device-code sign-in. Admins can consent
// Policy.ReadWrite.CrossTenantAccess to it, so signing in needs no app registration of one's own.
// --client-id / AZURE_CLIENT_ID override it.
inline constexpr std::string_view k_default_public_client_id = "14d82eec-204b-4c2f-b7e8-296a70dab67e";

// The client ID a delegated sign-in uses: the context's, else the default public client.
std::string public_client_id(const AuthContext& ctx);

// The delegated scopes xtsync asks for: the policy permission in this cloud's Graph, plus
// offline_access for a refresh token. E.g.
// "https://graph.microsoft.com/Policy.ReadWrite.CrossTenantAccess offline_access".
std::string delegated_scope(const Cloud& cloud);

// What a sign-in or a refresh yields.
struct UserToken {
  std::string access_token;
  std::chrono::system_clock::time_point expires_on;
  std::string refresh_token;  // empty when the service issued none
  std::string scope;          // the scope that was requested (and is requested again on refresh)
  std::string tenant;         // the access token's tid claim, else the tenant signed in to
};

// Runs the device code flow for ctx.tenant (empty = "organizations") and public_client_id(ctx):
// asks for a code, prints the service's sign-in instructions to *ctx.err, then polls the
// token endpoint every `interval` seconds (via ctx.sleep) until the user finishes.
// Throws Error(auth) when the code expires, the user declines, or the service refuses.
UserToken sign_in_with_device_code(const AuthContext& ctx);

// Redeems a refresh token at {authority}/{tenant}/oauth2/v2.0/token. The result carries the
// rotated refresh token (or the old one when the service sent none). Throws Error(auth); the
// identity platform's error code is in Error::graph_code (e.g. "invalid_grant").
UserToken redeem_refresh_token(const AuthContext& ctx, const std::string& tenant, const std::string& refresh_token,
                               const std::string& scope);

}  // namespace xtsync::auth
