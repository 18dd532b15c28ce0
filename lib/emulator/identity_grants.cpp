// The token and device-code endpoints of the emulated identity platform: the grants.
#include <fmt/format.h>
#include <algorithm>

#include "emulator/identity_jwt.hpp"
#include "util/base64.hpp"
#include "emulator/identity_service.hpp"
#include "util/guid.hpp"
#include "util/strings.hpp"

namespace xtsync::emulator {

namespace json = boost::json;

namespace {

constexpr std::string_view k_device_grant = "urn:ietf:params:oauth:grant-type:device_code";

// AADSTS700016, as Entra ID words it, for a client the tenant does not know.
IdentityError unknown_application(std::string_view client_id, std::string_view tenant) {
  return IdentityError(400, "unauthorized_client", 700016,
                       fmt::format("Application with identifier '{}' was not found in the directory '{}'. This can "
                                   "happen if the application has not been installed by the administrator of the "
                                   "tenant or consented to by any user in the tenant. You may have sent your "
                                   "authentication request to the wrong tenant.",
                                   client_id, tenant));
}

long long epoch_seconds(Clock::time_point t) {
  return std::chrono::duration_cast<std::chrono::seconds>(t.time_since_epoch()).count();
}

[[noreturn]] void missing_parameter(std::string_view name) {
  throw IdentityError(400, "invalid_request", 900144,
                      fmt::format("The request body must contain the following parameter: '{}'.", name));
}

bool is_form(const http::Request& request) {
  const auto type = http::find_header(request.headers, "Content-Type").value_or("");
  return util::iequals(util::trim(std::string_view(type).substr(0, type.find(';'))),
                       "application/x-www-form-urlencoded");
}

bool is_meta_tenant(std::string_view tenant) {
  return util::iequals(tenant, "common") || util::iequals(tenant, "organizations") ||
         util::iequals(tenant, "consumers");
}

struct BasicCredentials {
  std::string client_id;
  std::string secret;
};

// RFC 6749 §2.3.1: Authorization: Basic base64(urlencode(id) ":" urlencode(secret)).
std::optional<BasicCredentials> basic_credentials(const http::Request& request) {
  const auto header = http::find_header(request.headers, "Authorization");
  if (!header) return std::nullopt;
  const std::string_view value = util::trim(*header);
  const auto space = value.find(' ');
  if (space == std::string_view::npos || !util::iequals(value.substr(0, space), "Basic")) return std::nullopt;
  const auto decoded = util::base64_decode(util::trim(value.substr(space + 1)), util::Base64Alphabet::either);
  if (!decoded) return std::nullopt;
  const auto colon = decoded->find(':');
  if (colon == std::string::npos) return std::nullopt;
  return BasicCredentials{form_decode(decoded->substr(0, colon)), form_decode(decoded->substr(colon + 1))};
}

}  // namespace

struct Identity::Call {
  const http::Request& request;
  IdentityContext ctx;
  std::string tenant;     // the path segment, as the client wrote it
  std::string tenant_id;  // tid
  FormFields form;
  std::optional<BasicCredentials> basic;

  // client_id from the body, else from HTTP Basic authentication.
  std::string client_id() const {
    if (auto id = form.get("client_id"); id && !id->empty()) return *id;
    if (basic) return basic->client_id;
    missing_parameter("client_id");
  }
  std::string required(std::string_view name) const {
    auto value = form.get(name);
    if (!value || value->empty()) missing_parameter(name);
    return *value;
  }
};

http::Response Identity::oauth(const http::Request& request, const std::string& tenant, bool device_endpoint) {
  Call call{request, make_identity_context(request, clock_()), tenant, {}, {}, basic_credentials(request)};
  try {
    if (request.method != "POST") {
      throw IdentityError(400, "invalid_request", 900561,
                          fmt::format("The endpoint only accepts POST requests. Received a {} request.",
                                      request.method));
    }
    // Like Entra ID, a body that is not a form has no parameters, so the first required one is missing.
    if (is_form(request)) call.form = parse_form(request.body);
    call.tenant_id = resolve_tenant(tenant);
    return identity_json(200, device_endpoint ? start_device_flow(call) : token(call), call.ctx);
  } catch (const IdentityError& error) {
    return identity_error(error, call.ctx, base_url_);
  }
}

json::object Identity::token(Call& call) {
  const auto grant = call.form.get("grant_type");
  if (grant == "client_credentials") ++counters_.client_credentials;
  else if (grant == k_device_grant) ++counters_.device_code, ++counters_.device_polls;
  else if (grant == "refresh_token") ++counters_.refresh_token;
  else ++counters_.other_grants;

  if (!grant || grant->empty()) missing_parameter("grant_type");
  if (*grant == "client_credentials") return client_credentials(call);
  if (*grant == k_device_grant) return device_code(call);
  if (*grant == "refresh_token") return refresh_token(call);
  throw IdentityError(400, "unsupported_grant_type", 70003,
                      fmt::format("The app requested an unsupported grant type '{}'.", *grant));
}

// ---- client credentials ----

json::object Identity::client_credentials(Call& call) {
  const std::string client = client_key(call.client_id());
  if (is_meta_tenant(call.tenant)) {
    throw IdentityError(400, "invalid_request", 50059,
                        "No tenant-identifying information found in either the request or implied by any provided "
                        "credentials.");
  }
  const std::string resource = app_scope_resource(call.required("scope"));
  authenticate_client(call, client);
  const auto now = call.ctx.now;
  const std::string token =
      mint_access_token({client, call.tenant_id, resource, false, {default_permission(client)}, {}}, now);
  const auto lifetime = options_.token_lifetime.count();
  return json::object{
      {"token_type", "Bearer"}, {"expires_in", lifetime}, {"ext_expires_in", lifetime}, {"access_token", token}};
}

void Identity::authenticate_client(Call& call, const std::string& client) {
  const auto secrets = std::count_if(options_.client_secrets.begin(), options_.client_secrets.end(),
                                     [&](const auto& s) { return client_key(s.first) == client; });
  const auto certs = certificates_.find(client);
  std::vector<FederatedCredential> federated;
  for (const auto& [id, credential] : options_.federated_credentials) {
    if (client_key(id) == client) federated.push_back(credential);
  }
  if (secrets == 0 && certs == certificates_.end() && federated.empty()) {
    throw unknown_application(call.client_id(), call.tenant);
  }

  if (const auto assertion = call.form.get("client_assertion"); assertion && !assertion->empty()) {
    const auto type = call.form.get("client_assertion_type");
    if (!type || type->empty()) missing_parameter("client_assertion_type");
    if (*type != k_jwt_bearer) {
      throw IdentityError(400, "invalid_request", 50027,
                          fmt::format("Invalid client_assertion_type '{}'; expected '{}'.", *type, k_jwt_bearer));
    }
    const auto jwt = parse_jwt(*assertion);
    if (!jwt) throw IdentityError(401, "invalid_client", 50027, "JWT token is invalid or malformed.");
    if (certs != certificates_.end()) {
      verify_certificate_assertion(*jwt, certs->second, call.client_id(), token_urls(call), call.ctx.now,
                                   used_jti_[client]);
      return;
    }
    if (!federated.empty()) {
      check_github_assertion(*jwt);
      verify_federated_assertion(*jwt, federated, call.ctx.now);
      return;
    }
    throw IdentityError(401, "invalid_client", 700027,
                        fmt::format("Client assertion failed signature validation. [Reason - The key was not found., "
                                    "Please visit the Azure Portal, Graph Explorer or directly use MS Graph to see "
                                    "configured keys for app Id '{}'.]",
                                    call.client_id()));
  }

  std::optional<std::string> secret = call.form.get("client_secret");
  if (!secret && call.basic && client_key(call.basic->client_id) == client) secret = call.basic->secret;
  if (!secret) {
    throw IdentityError(401, "invalid_client", 7000218,
                        "The request body must contain the following parameter: 'client_assertion' or "
                        "'client_secret'.");
  }
  const bool matches = std::any_of(options_.client_secrets.begin(), options_.client_secrets.end(), [&](const auto& s) {
    return client_key(s.first) == client && s.second == *secret;
  });
  if (!matches) {
    throw IdentityError(401, "invalid_client", 7000215,
                        fmt::format("Invalid client secret provided. Ensure the secret being sent in the request is "
                                    "the client secret value, not the client secret ID, for a secret added to app "
                                    "'{}'.",
                                    call.client_id()));
  }
}

std::vector<std::string> Identity::token_urls(const Call& call) const {
  // The token URL as the client addressed it: by tenant name or id, via the base URL or Host.
  std::vector<std::string> urls;
  const std::string scheme = base_url_.substr(0, base_url_.find("://"));
  std::vector<std::string> roots{base_url_};
  if (const auto host = http::find_header(call.request.headers, "Host"); host && !host->empty()) {
    roots.push_back(fmt::format("{}://{}", scheme, util::trim(*host)));
  }
  for (const auto& root : roots) {
    for (const auto& tenant : {call.tenant, call.tenant_id}) {
      urls.push_back(fmt::format("{}/{}/oauth2/v2.0/token", root, tenant));
    }
  }
  return urls;
}

// ---- device code ----

json::object Identity::start_device_flow(Call& call) {
  ++counters_.device_code_requests;
  const std::string client = client_key(call.client_id());
  const std::string scope = call.required("scope");
  if (!options_.public_clients.empty() &&
      std::none_of(options_.public_clients.begin(), options_.public_clients.end(),
                   [&](const std::string& c) { return client_key(c) == client; })) {
    throw unknown_application(call.client_id(), call.tenant);
  }
  parse_delegated_scopes(scope, default_permission(client));  // rejects a bad scope now, as Entra ID does
  DeviceFlow flow;
  flow.client_id = client;
  flow.tenant_id = call.tenant_id;
  flow.scope = scope;
  flow.user_code = new_user_code();
  flow.expires = call.ctx.now + k_device_code_lifetime;
  flow.interval = options_.device_interval;
  flow.remaining = device_script_;
  const std::string user_code = flow.user_code;
  const std::string device_code = device_flows_.start(std::move(flow));
  const std::string uri = fmt::format("{}/devicelogin", base_url_);
  return json::object{
      {"user_code", user_code},
      {"device_code", device_code},
      {"verification_uri", uri},
      {"expires_in", k_device_code_lifetime.count()},
      {"interval", options_.device_interval.count()},
      {"message", fmt::format("To sign in, use a web browser to open the page {} and enter the code {} to "
                              "authenticate.",
                              uri, user_code)}};
}

json::object Identity::device_code(Call& call) {
  const std::string client = client_key(call.client_id());
  const std::string code = call.required("device_code");
  DeviceFlow flow;
  switch (device_flows_.poll(code, client, call.ctx.now, flow)) {
    case DevicePoll::unknown:
      throw IdentityError(400, "bad_verification_code", 70019,
                          "The provided value for the input parameter 'device_code' is not valid.");
    case DevicePoll::pending:
      throw IdentityError(400, "authorization_pending", 70016,
                          "OAuth 2.0 device flow error. Authorization is pending. Continue polling.");
    case DevicePoll::slow_down:
      throw IdentityError(400, "slow_down", 70016,
                          fmt::format("OAuth 2.0 device flow error. Polling too frequently: wait at least {} seconds "
                                      "between requests.",
                                      flow.interval.count()));
    case DevicePoll::declined:
      throw IdentityError(400, "authorization_declined", 70000,
                          "The user declined to authorize the request. Stop polling.");
    case DevicePoll::expired:
      throw IdentityError(400, "expired_token", 70020,
                          "The provided value for the input parameter 'device_code' is not valid. This device code "
                          "has expired.");
    case DevicePoll::approved:
      break;
  }
  const DelegatedScopes scopes = parse_delegated_scopes(flow.scope, default_permission(client));
  return delegated_response(client, flow.tenant_id, scopes, flow.scope, call.ctx.now);
}

// ---- refresh token ----

json::object Identity::refresh_token(Call& call) {
  const std::string client = client_key(call.client_id());
  const std::string presented = call.required("refresh_token");
  const RefreshGrant* grant = tokens_.find_refresh(presented);
  if (!grant || grant->client_id != client) {
    throw IdentityError(400, "invalid_grant", 70000,
                        "Provided grant is invalid or malformed. The refresh token is unknown, was issued to another "
                        "client, or was already redeemed (refresh tokens are rotated).");
  }
  if (call.ctx.now - grant->last_used > k_refresh_inactivity) {
    throw IdentityError(400, "invalid_grant", 700082,
                        fmt::format("The refresh token has expired due to inactivity. The token was issued on {} and "
                                    "was inactive for 90.00:00:00.",
                                    identity_timestamp(grant->last_used)));
  }
  const std::string scope_text = call.form.get("scope").value_or(grant->scope);
  DelegatedScopes scopes = parse_delegated_scopes(scope_text, default_permission(client));
  const std::string tenant_id = grant->tenant_id;
  tokens_.erase_refresh(presented);
  // The grant already had offline_access, so a new refresh token replaces the redeemed one.
  scopes.offline_access = true;
  if (std::find(scopes.oidc.begin(), scopes.oidc.end(), "offline_access") == scopes.oidc.end()) {
    scopes.oidc.emplace_back("offline_access");
  }
  return delegated_response(client, tenant_id, scopes, scope_text, call.ctx.now);
}

// ---- issuing ----

std::string Identity::mint_access_token(const TokenGrant& grant, Clock::time_point now) {
  const auto expires = now + options_.token_lifetime;
  const long long t = epoch_seconds(now);
  json::object claims{{"aud", grant.audience},
                      {"iss", fmt::format("{}/{}/v2.0", base_url_, grant.tenant_id)},
                      {"iat", t},
                      {"nbf", t},
                      {"exp", epoch_seconds(expires)},
                      {"appid", grant.client},
                      {"azp", grant.client},
                      {"idtyp", grant.delegated ? "user" : "app"},
                      {"oid", grant.delegated ? std::string(k_user_object_id) : object_id(grant.client)},
                      {"sub", grant.delegated ? std::string(k_user_object_id) : object_id(grant.client)},
                      {"tid", grant.tenant_id},
                      {"uti", util::base64url_encode(random_bytes(16))},
                      {"ver", "2.0"}};
  if (grant.delegated) {
    claims["scp"] = grant.scp;
    claims["preferred_username"] = k_user_name;
    claims["name"] = "Emulated Administrator";
  } else {
    json::array roles;
    for (const auto& p : grant.permissions) roles.emplace_back(p);
    claims["roles"] = std::move(roles);
  }
  std::string token =
      mint_jwt(json::object{{"typ", "JWT"}, {"alg", "RS256"}, {"kid", "xtsync-emulator"}}, claims);
  tokens_.add(token, IssuedToken{grant.audience, expires, grant.delegated, grant.permissions, grant.client});
  ++counters_.tokens_issued;
  return token;
}

json::object Identity::delegated_response(const std::string& client, const std::string& tenant_id,
                                          const DelegatedScopes& scopes, const std::string& scope_text,
                                          Clock::time_point now) {
  std::vector<std::string> permissions = scopes.permissions;
  const std::string token =
      mint_access_token({client, tenant_id, scopes.resource, true, std::move(permissions), scopes.scp()}, now);
  const auto lifetime = options_.token_lifetime.count();
  json::object body{{"token_type", "Bearer"},
                    {"scope", scopes.response_scope()},
                    {"expires_in", lifetime},
                    {"ext_expires_in", lifetime},
                    {"access_token", token}};
  if (scopes.offline_access) {
    body["refresh_token"] = tokens_.add_refresh(RefreshGrant{client, tenant_id, scope_text, now});
  }
  if (scopes.openid) {
    const long long t = epoch_seconds(now);
    body["id_token"] = mint_jwt(json::object{{"typ", "JWT"}, {"alg", "RS256"}, {"kid", "xtsync-emulator"}},
                                json::object{{"aud", client},
                                             {"iss", fmt::format("{}/{}/v2.0", base_url_, tenant_id)},
                                             {"iat", t},
                                             {"nbf", t},
                                             {"exp", epoch_seconds(now + options_.token_lifetime)},
                                             {"name", "Emulated Administrator"},
                                             {"oid", k_user_object_id},
                                             {"preferred_username", k_user_name},
                                             {"sub", k_user_object_id},
                                             {"tid", tenant_id},
                                             {"ver", "2.0"}});
  }
  return body;
}

}  // namespace xtsync::emulator
