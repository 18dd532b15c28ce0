#include "emulator/identity_service.hpp"
#include "util/base64.hpp"

#include <fmt/format.h>
#include <algorithm>
#include <boost/json/parse.hpp>
#include <stdexcept>

#include "emulator/identity_jwt.hpp"
#include "util/guid.hpp"
#include "util/strings.hpp"

namespace xtsync::emulator {

namespace json = boost::json;

namespace {

enum class Endpoint { none, token, devicecode, devicelogin, github, app_service, imds };

std::vector<std::string_view> split_path(std::string_view path) {
  std::vector<std::string_view> out;
  if (path.starts_with('/')) path.remove_prefix(1);
  if (path.ends_with('/')) path.remove_suffix(1);
  while (!path.empty()) {
    const auto slash = path.find('/');
    out.push_back(path.substr(0, slash));
    path = slash == std::string_view::npos ? std::string_view() : path.substr(slash + 1);
  }
  return out;
}

bool segments_are(const std::vector<std::string_view>& s, std::initializer_list<std::string_view> names) {
  if (s.size() != names.size()) return false;
  std::size_t i = 0;
  for (const auto name : names) {
    if (!util::iequals(s[i++], name)) return false;
  }
  return true;
}

Endpoint endpoint_of(std::string_view target, std::string* tenant = nullptr) {
  const auto s = split_path(target_path(target));
  if (segments_are(s, {"_github", "idtoken"})) return Endpoint::github;
  if (segments_are(s, {"_msi", "token"})) return Endpoint::app_service;
  if (segments_are(s, {"metadata", "identity", "oauth2", "token"})) return Endpoint::imds;
  if (segments_are(s, {"devicelogin"})) return Endpoint::devicelogin;
  if (s.size() == 4 && !s[0].starts_with('_') && util::iequals(s[1], "oauth2") && util::iequals(s[2], "v2.0")) {
    if (tenant) *tenant = std::string(s[0]);
    if (util::iequals(s[3], "token")) return Endpoint::token;
    if (util::iequals(s[3], "devicecode")) return Endpoint::devicecode;
  }
  return Endpoint::none;
}

long long epoch_seconds(Clock::time_point t) {
  return std::chrono::duration_cast<std::chrono::seconds>(t.time_since_epoch()).count();
}

bool contains_client(const std::vector<std::string>& list, const std::string& client) {
  return std::any_of(list.begin(), list.end(), [&](const std::string& c) { return client_key(c) == client; });
}

http::Response control_error(int status, std::string_view code, std::string_view message, Clock::time_point now) {
  return provider_json(status, json::object{{"error", json::object{{"code", code}, {"message", message}}}}, now);
}

}  // namespace

std::string client_key(std::string_view client_id) {
  const auto guid = util::normalize_guid(client_id);
  return guid ? *guid : util::to_lower(client_id);
}

json::object IdentityCounters::to_json() const {
  return json::object{{"tokenRequests", json::object{{"client_credentials", client_credentials},
                                                     {"device_code", device_code},
                                                     {"refresh_token", refresh_token},
                                                     {"other", other_grants}}},
                      {"deviceCodeRequests", device_code_requests},
                      {"githubIdTokens", github_id_tokens},
                      {"managedIdentityRequests", managed_identity_requests},
                      {"devicePolls", device_polls},
                      {"tokensIssued", tokens_issued}};
}

bool is_identity_target(std::string_view target) noexcept {
  return endpoint_of(target) != Endpoint::none;
}

bool is_identity_control_target(std::string_view target) noexcept {
  const auto path = target_path(target);
  return path == "/_emulator/identity" || path == "/_emulator/identity/" || path == "/_emulator/device" ||
         path == "/_emulator/device/";
}

Identity::Identity(IdentityOptions options, IssuedTokens& tokens, ClockFn clock, std::string base_url)
    : options_(std::move(options)), tokens_(tokens), clock_(std::move(clock)), base_url_(std::move(base_url)) {
  for (const auto& [client, file] : options_.client_certs) {
    certificates_[client_key(client)].push_back(ClientCertificate::load(file));
  }
  reset();
}

void Identity::reset() {
  counters_ = {};
  device_flows_.clear();
  device_script_ = DeviceScript{options_.device_pending_polls, 0, DeviceOutcome::approve};
  used_jti_.clear();
}

http::Response Identity::handle(const http::Request& request) {
  if (is_identity_control_target(request.url)) return control(request);
  std::string tenant;
  switch (endpoint_of(request.url, &tenant)) {
    case Endpoint::token:
      return oauth(request, tenant, false);
    case Endpoint::devicecode:
      return oauth(request, tenant, true);
    case Endpoint::github:
      return github(request);
    case Endpoint::app_service:
      return app_service(request);
    case Endpoint::imds:
      return imds(request);
    case Endpoint::devicelogin: {
      http::Response page;
      page.status = 200;
      page.body = "xtsync-emulator: device codes are approved (or declined) as scripted by POST /_emulator/device; "
                  "there is nothing to enter here.\n";
      http::set_header(page.headers, "Content-Type", "text/plain; charset=utf-8");
      return page;
    }
    case Endpoint::none:
      break;
  }
  return control_error(404, "NotFound", "no identity endpoint here", clock_());
}

std::string Identity::default_permission(const std::string& client) const {
  return std::string(contains_client(options_.read_only_clients, client) ? k_permission_read : k_permission_write);
}

std::string Identity::object_id(const std::string& client) {
  auto& id = object_ids_[client];
  if (id.empty()) id = util::new_guid();
  return id;
}

std::string Identity::resolve_tenant(const std::string& tenant) const {
  const auto guid = util::normalize_guid(tenant);
  const std::string key = guid ? *guid : util::to_lower(tenant);
  const bool meta = key == "common" || key == "organizations" || key == "consumers";
  bool exists = false;
  if (options_.tenants.empty()) {
    const bool domain = key.find('.') != std::string::npos &&
                        std::all_of(key.begin(), key.end(), [](char c) {
                          return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' || c == '-';
                        });
    exists = guid || domain || meta;
  } else {
    exists = meta || std::any_of(options_.tenants.begin(), options_.tenants.end(), [&](const std::string& t) {
               const auto g = util::normalize_guid(t);
               return (g ? *g : util::to_lower(t)) == key;
             });
  }
  if (!exists) {
    throw IdentityError(400, "invalid_request", 90002,
                        fmt::format("Tenant '{}' not found. Check to make sure you have the correct tenant ID and "
                                    "are signing into the correct cloud. Check with your subscription administrator, "
                                    "this may happen if there are no active subscriptions for the tenant.",
                                    tenant));
  }
  return guid ? *guid : home_tenant();
}

std::string Identity::home_tenant() const {
  for (const auto& t : options_.tenants) {
    if (const auto g = util::normalize_guid(t)) return *g;
  }
  return std::string(k_default_tenant_id);
}

// ---- GitHub Actions OIDC ----

http::Response Identity::github(const http::Request& request) {
  const auto now = clock_();
  if (options_.github_request_token.empty()) {
    return provider_json(404, json::object{{"message", "Not Found"}}, now);
  }
  if (request.method != "GET") return provider_json(405, json::object{{"message", "Method Not Allowed"}}, now);
  const auto header = http::find_header(request.headers, "Authorization").value_or("");
  const std::string_view value = util::trim(header);
  const auto space = value.find(' ');
  const bool ok = space != std::string_view::npos && util::iequals(value.substr(0, space), "bearer") &&
                  util::trim(value.substr(space + 1)) == options_.github_request_token;
  if (!ok) return provider_json(401, json::object{{"message", "Bad credentials"}}, now);

  const FormFields query = parse_form(target_query(request.url));
  const std::string& subject = options_.github_subject;
  // "repo:<owner>/<repo>:..." → owner and repository; GitHub's default audience is the owner's URL.
  const auto repo_start = subject.starts_with("repo:") ? 5 : std::string::npos;
  const std::string repository =
      repo_start == std::string::npos ? std::string() : subject.substr(repo_start, subject.find(':', repo_start) - repo_start);
  const std::string owner = repository.substr(0, repository.find('/'));
  const std::string audience = query.get("audience").value_or(fmt::format("https://github.com/{}", owner));
  const auto ref_pos = subject.find(":ref:");

  const long long t = epoch_seconds(now);
  json::object payload{{"jti", util::new_guid()},
                       {"sub", subject},
                       {"aud", audience},
                       {"repository", repository},
                       {"repository_owner", owner},
                       {"iss", k_github_issuer},
                       {"nbf", t},
                       {"iat", t},
                       {"exp", t + 300}};
  if (ref_pos != std::string::npos) payload["ref"] = subject.substr(ref_pos + 5);
  const std::string jwt =
      mint_jwt(json::object{{"typ", "JWT"}, {"alg", "RS256"}, {"kid", "xtsync-emulator-github"}}, payload);
  github_tokens_.insert(jwt);
  ++counters_.github_id_tokens;
  return provider_json(200, json::object{{"count", counters_.github_id_tokens}, {"value", jwt}}, now);
}

void Identity::check_github_assertion(const Jwt& jwt) const {
  // The emulator's GitHub tokens carry random signatures, so its own record stands in for one.
  if (options_.github_request_token.empty() || string_claim(jwt.payload, "iss") != std::string(k_github_issuer)) {
    return;
  }
  const std::string presented = fmt::format("{}.{}", jwt.signing_input, util::base64url_encode(jwt.signature));
  if (!github_tokens_.contains(presented)) {
    throw IdentityError(400, "invalid_client", 50013,
                        "Assertion failed signature validation. [Reason - The token was not issued by this "
                        "emulator's GitHub Actions ID-token endpoint.]");
  }
}

// ---- managed identity ----

http::Response Identity::app_service(const http::Request& request) {
  const auto now = clock_();
  const auto fail = [&](int status, std::string_view message) {
    return provider_json(status, json::object{{"statusCode", status}, {"message", message}}, now);
  };
  if (options_.identity_header.empty()) return fail(404, "Not Found");
  ++counters_.managed_identity_requests;
  if (request.method != "GET") return fail(405, "Method Not Allowed");
  if (http::find_header(request.headers, "X-IDENTITY-HEADER") != options_.identity_header) {
    return fail(401, "Unauthorized request: the X-IDENTITY-HEADER header is missing or wrong.");
  }
  const FormFields query = parse_form(target_query(request.url));
  if (query.value("api-version").empty()) return fail(400, "The api-version query parameter is required.");
  const std::string resource = query.value("resource");
  if (resource.empty()) return fail(400, "The resource query parameter is required.");
  const std::string client = client_key(options_.managed_identity_client_id);
  if (const auto asked = query.get("client_id"); asked && client_key(*asked) != client) {
    return fail(400, "No managed identity found for specified ClientId/ResourceId/PrincipalId.");
  }
  const std::string tid = home_tenant();
  const std::string token = mint_access_token({client, tid, resource, false, {default_permission(client)}, {}}, now);
  const auto expires = epoch_seconds(now + options_.token_lifetime);
  return provider_json(200,
                       json::object{{"access_token", token},
                                    {"expires_on", std::to_string(expires)},
                                    {"resource", resource},
                                    {"token_type", "Bearer"},
                                    {"client_id", options_.managed_identity_client_id}},
                       now);
}

http::Response Identity::imds(const http::Request& request) {
  const auto now = clock_();
  const auto fail = [&](int status, std::string_view error, std::string_view description) {
    return provider_json(status, json::object{{"error", error}, {"error_description", description}}, now);
  };
  if (!options_.imds) return fail(404, "not_found", "Not Found");
  ++counters_.managed_identity_requests;
  if (request.method != "GET") return fail(405, "invalid_request", "Method not allowed");
  const auto metadata = http::find_header(request.headers, "Metadata");
  if (!metadata || !util::iequals(util::trim(*metadata), "true")) {
    return fail(400, "invalid_request", "Required metadata header not specified");
  }
  const FormFields query = parse_form(target_query(request.url));
  if (query.value("api-version").empty()) {
    return fail(400, "invalid_request", "Required query variable 'api-version' is missing");
  }
  const std::string resource = query.value("resource");
  if (resource.empty()) return fail(400, "invalid_request", "Required query variable 'resource' is missing");
  const std::string client = client_key(options_.managed_identity_client_id);
  if (const auto asked = query.get("client_id"); asked && client_key(*asked) != client) {
    return fail(400, "invalid_request", "Identity not found");
  }
  const std::string tid = home_tenant();
  const std::string token = mint_access_token({client, tid, resource, false, {default_permission(client)}, {}}, now);
  const std::string lifetime = std::to_string(options_.token_lifetime.count());
  return provider_json(200,
                       json::object{{"access_token", token},
                                    {"client_id", options_.managed_identity_client_id},
                                    {"expires_in", lifetime},
                                    {"expires_on", std::to_string(epoch_seconds(now + options_.token_lifetime))},
                                    {"ext_expires_in", lifetime},
                                    {"not_before", std::to_string(epoch_seconds(now))},
                                    {"resource", resource},
                                    {"token_type", "Bearer"}},
                       now);
}

// ---- control API ----

http::Response Identity::control(const http::Request& request) {
  const auto now = clock_();
  const auto path = target_path(request.url);
  const bool counters_path = path.starts_with("/_emulator/identity");
  if (counters_path) {
    if (request.method != "GET") return control_error(405, "MethodNotAllowed", "use GET", now);
    return provider_json(200, counters_.to_json(), now);
  }
  if (request.method == "GET") return provider_json(200, device_script_.to_json(), now);
  if (request.method != "POST") return control_error(405, "MethodNotAllowed", "use GET or POST", now);
  try {
    json::error_code ec;
    const json::value body = json::parse(request.body.empty() ? std::string_view("{}") : request.body, ec);
    if (ec || !body.is_object()) throw std::invalid_argument("the body must be a JSON object");
    const DeviceScript defaults{options_.device_pending_polls, 0, DeviceOutcome::approve};
    device_script_ = parse_device_script(body.as_object(), defaults);
  } catch (const std::invalid_argument& e) {
    return control_error(400, "BadRequest", e.what(), now);
  }
  return provider_json(200, device_script_.to_json(), now);
}

}  // namespace xtsync::emulator
