// The emulated Microsoft identity platform (token and device-code endpoints) and the token
// providers a CI or cloud host offers (GitHub Actions OIDC, App Service and IMDS managed
// identity). Like Graph, a pure function of (state, request) → response, with no sockets.
#pragma once

#include <boost/json/object.hpp>
#include <chrono>
#include <cstdint>
#include <map>
#include <set>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "emulator/identity_assertion.hpp"
#include "emulator/identity_certificate.hpp"
#include "emulator/identity_device.hpp"
#include "emulator/identity_form.hpp"
#include "emulator/identity_response.hpp"
#include "emulator/identity_scopes.hpp"
#include "emulator/issued_tokens.hpp"
#include "emulator/time_format.hpp"
#include "http/message.hpp"

namespace xtsync::emulator {

inline constexpr std::string_view k_github_issuer = "https://token.actions.githubusercontent.com";
inline constexpr std::string_view k_default_github_subject = "repo:contoso/pipelines:ref:refs/heads/main";
inline constexpr std::string_view k_default_managed_identity = "6b3f8c1e-0d4a-4e57-9a2c-5f1e7d9b3a40";
// tid of tokens requested through a domain name or `common` when no --tenant-id GUID is set.
inline constexpr std::string_view k_default_tenant_id = "4c9e2a71-8b3d-4f60-a5e2-91d7c3b0f8a6";
// The signed-in user of delegated (device code) tokens.
inline constexpr std::string_view k_user_object_id = "0f6a2c84-5e1b-4d93-b7a0-3c8e9f2d1a65";
inline constexpr std::string_view k_user_name = "admin@emulator.invalid";

struct IdentityOptions {
  // Client id → secret; a client may have several.
  std::vector<std::pair<std::string, std::string>> client_secrets;
  // Client id → PEM certificate file verifying its client assertions.
  std::vector<std::pair<std::string, std::string>> client_certs;
  std::vector<std::pair<std::string, FederatedCredential>> federated_credentials;
  // App tokens for these clients get Policy.Read.All instead of Policy.ReadWrite.CrossTenantAccess.
  std::vector<std::string> read_only_clients;
  // When not empty, only these clients may start the device-code flow.
  std::vector<std::string> public_clients;
  // Empty: the GitHub ID-token endpoint is off.
  std::string github_request_token;
  std::string github_subject = std::string(k_default_github_subject);
  // Empty: the App Service managed-identity endpoint is off.
  std::string identity_header;
  bool imds = false;
  std::string managed_identity_client_id = std::string(k_default_managed_identity);
  std::chrono::seconds token_lifetime{3600};
  std::chrono::seconds device_interval{5};
  int device_pending_polls = 1;
  // Tenants (GUIDs or domains) that exist; empty: any GUID or domain does.
  std::vector<std::string> tenants;
};

struct IdentityCounters {
  std::uint64_t client_credentials = 0;
  std::uint64_t device_code = 0;
  std::uint64_t refresh_token = 0;
  std::uint64_t other_grants = 0;
  std::uint64_t device_code_requests = 0;  // POST .../devicecode
  std::uint64_t device_polls = 0;
  std::uint64_t github_id_tokens = 0;
  std::uint64_t managed_identity_requests = 0;
  std::uint64_t tokens_issued = 0;

  boost::json::object to_json() const;
};

// Whether a target is one of the identity endpoints (/{tenant}/oauth2/v2.0/token|devicecode,
// /devicelogin, /_github/idtoken, /_msi/token, /metadata/identity/oauth2/token).
bool is_identity_target(std::string_view target) noexcept;
// /_emulator/identity and /_emulator/device: the identity part of the control API.
bool is_identity_control_target(std::string_view target) noexcept;

class Identity {
 public:
  // Loads the --client-cert files; throws std::runtime_error when one cannot be read.
  Identity(IdentityOptions options, IssuedTokens& tokens, ClockFn clock, std::string base_url);

  void set_base_url(std::string base_url) { base_url_ = std::move(base_url); }

  // Identity endpoints and identity control targets.
  http::Response handle(const http::Request& request);

  // POST /_emulator/reset: counters, device codes, the device script and used jti values.
  // Issued access and refresh tokens stay valid.
  void reset();

  const IdentityCounters& counters() const noexcept { return counters_; }

 private:
  struct Call;
  struct TokenGrant {
    std::string client;     // client_key form
    std::string tenant_id;  // tid
    std::string audience;
    bool delegated = false;
    std::vector<std::string> permissions;  // roles, or the scp items
    std::string scp;                       // delegated: the scp claim
  };

  http::Response oauth(const http::Request& request, const std::string& tenant, bool device_endpoint);
  boost::json::object token(Call& call);
  boost::json::object start_device_flow(Call& call);
  boost::json::object client_credentials(Call& call);
  boost::json::object device_code(Call& call);
  boost::json::object refresh_token(Call& call);
  void authenticate_client(Call& call, const std::string& client);
  void check_github_assertion(const Jwt& jwt) const;
  std::vector<std::string> token_urls(const Call& call) const;
  // The tid for a tenant path segment; throws IdentityError(400, AADSTS90002) for an unknown one.
  std::string resolve_tenant(const std::string& tenant) const;
  // The first --tenant-id GUID, else k_default_tenant_id: the tid behind domains and `common`.
  std::string home_tenant() const;

  std::string mint_access_token(const TokenGrant& grant, Clock::time_point now);
  boost::json::object delegated_response(const std::string& client, const std::string& tenant_id,
                                         const DelegatedScopes& scopes, const std::string& scope_text,
                                         Clock::time_point now);
  std::string default_permission(const std::string& client) const;
  std::string object_id(const std::string& client);

  http::Response github(const http::Request& request);
  http::Response app_service(const http::Request& request);
  http::Response imds(const http::Request& request);
  http::Response control(const http::Request& request);

  IdentityOptions options_;
  IssuedTokens& tokens_;
  ClockFn clock_;
  std::string base_url_;
  std::map<std::string, std::vector<ClientCertificate>> certificates_;
  DeviceFlows device_flows_;
  DeviceScript device_script_;
  std::map<std::string, std::set<std::string>> used_jti_;
  std::set<std::string, std::less<>> github_tokens_;
  std::map<std::string, std::string> object_ids_;
  IdentityCounters counters_;
};

// Client ids compare like GUIDs: case-insensitively.
std::string client_key(std::string_view client_id);

}  // namespace xtsync::emulator
