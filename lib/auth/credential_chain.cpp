#include "auth/credential_chain.hpp"

#include <fmt/format.h>

#include "auth/azure_cli.hpp"
#include "auth/cached_login.hpp"
#include "auth/client_certificate.hpp"
#include "auth/client_secret.hpp"
#include "auth/device_code.hpp"
#include "auth/github_oidc.hpp"
#include "auth/managed_identity.hpp"
#include "auth/token_cache.hpp"
#include "auth/workload_identity.hpp"
#include "error.hpp"
#include "util/path_search.hpp"

namespace xtsync::auth {

namespace {

// The environment as the sources see it: unset and empty are the same.
struct Env {
  const AuthContext& ctx;
  std::string operator()(const std::string& name) const { return ctx.getenv(name).value_or(""); }
  bool has(const std::string& name) const { return !(*this)(name).empty(); }
};

// One candidate source: whether it applies, why (not), and how to build it.
struct Candidate {
  std::string method;
  bool applies = false;
  std::string why;  // the reason it applies, or what it lacks
};

std::unique_ptr<TokenSource> cached(std::unique_ptr<Credential> credential, const AuthContext& ctx) {
  return std::make_unique<CachingTokenSource>(std::move(credential), ctx.now);
}

// Whether the device-code source can run, and if not, why (naming the logins that do exist).
Candidate cached_login_candidate(const AuthContext& ctx) {
  std::string others;
  try {
    TokenCache cache(TokenCache::default_directory(ctx.getenv));
    if (find_cached_login(cache, ctx).login) return {"device-code", true, "a login cached by 'xtsync login'"};
    others = describe_cached_logins(cache);
  } catch (const Error&) {
    // an unusable cache is reported when that source is forced
  }
  std::string why = is_any_tenant(ctx.tenant)
                        ? "no login cached by 'xtsync login' in cloud " + ctx.cloud.name
                        : "no login cached by 'xtsync login' for tenant " + ctx.tenant + " in cloud " + ctx.cloud.name;
  if (!others.empty()) why += " (cached: " + others + ")";
  return {"device-code", false, why};
}

std::vector<Candidate> candidates(const CredentialSettings& s, const AuthContext& ctx) {
  const Env env{ctx};
  const bool app = !ctx.tenant.empty() && !ctx.client_id.empty();
  const std::string app_missing = ctx.tenant.empty() && ctx.client_id.empty()
                                      ? "AZURE_TENANT_ID and AZURE_CLIENT_ID (or --tenant, --client-id) are"
                                  : ctx.tenant.empty() ? "AZURE_TENANT_ID (or --tenant) is"
                                                       : "AZURE_CLIENT_ID (or --client-id) is";
  auto app_source = [&](const std::string& method, bool input, const std::string& input_name) {
    if (!input) return Candidate{method, false, input_name + " is not set"};
    if (!app) return Candidate{method, false, input_name + " is set but " + app_missing + " not"};
    return Candidate{method, true, input_name + " is set"};
  };
  std::vector<Candidate> list;
  list.push_back(!s.access_token_file.empty() ? Candidate{"token", true, "--access-token-file is given"}
                 : env.has("XTSYNC_ACCESS_TOKEN")
                     ? Candidate{"token", true, "XTSYNC_ACCESS_TOKEN is set"}
                     : Candidate{"token", false, "XTSYNC_ACCESS_TOKEN is not set"});
  list.push_back(!s.client_secret_file.empty()
                     ? app_source("client-secret", true, "--client-secret-file")
                     : app_source("client-secret", env.has("AZURE_CLIENT_SECRET"), "AZURE_CLIENT_SECRET"));
  list.push_back(app_source("client-certificate", env.has("AZURE_CLIENT_CERTIFICATE_PATH"),
                            "AZURE_CLIENT_CERTIFICATE_PATH"));
  list.push_back(
      app_source("workload-identity", env.has("AZURE_FEDERATED_TOKEN_FILE"), "AZURE_FEDERATED_TOKEN_FILE"));
  list.push_back(app_source(
      "github-oidc", env.has("ACTIONS_ID_TOKEN_REQUEST_URL") && env.has("ACTIONS_ID_TOKEN_REQUEST_TOKEN"),
      "ACTIONS_ID_TOKEN_REQUEST_URL with ACTIONS_ID_TOKEN_REQUEST_TOKEN"));
  // Managed identity is never probed: the metadata address is used only when asked for.
  list.push_back(env.has("IDENTITY_ENDPOINT") && env.has("IDENTITY_HEADER")
                     ? Candidate{"managed-identity", true, "IDENTITY_ENDPOINT and IDENTITY_HEADER are set"}
                     : Candidate{"managed-identity", false,
                                 "IDENTITY_ENDPOINT with IDENTITY_HEADER is not set (use "
                                 "--auth managed-identity for the instance metadata service)"});
  list.push_back(cached_login_candidate(ctx));
  list.push_back(util::find_executable("az", env("PATH"))
                     ? Candidate{"azure-cli", true, "the Azure CLI ('az') is on PATH"}
                     : Candidate{"azure-cli", false, "the Azure CLI ('az') is not on PATH"});
  return list;
}

std::unique_ptr<TokenSource> build(const std::string& method, const CredentialSettings& s,
                                   const AuthContext& ctx) {
  const Env env{ctx};
  if (method == "token") {
    CredentialInputs inputs{s.access_token_file, ctx.getenv("XTSYNC_ACCESS_TOKEN")};
    return resolve_token_source(inputs, *ctx.in);
  }
  if (method == "client-secret") {
    std::string secret = s.client_secret_file.empty()
                             ? env("AZURE_CLIENT_SECRET")
                             : read_client_secret_file(s.client_secret_file, *ctx.in);
    return cached(std::make_unique<ClientSecretCredential>(ctx, std::move(secret)), ctx);
  }
  if (method == "client-certificate") {
    auto options = certificate_options_from_env(ctx);
    if (!s.certificate_algorithm.empty())
      options.algorithm = parse_assertion_algorithm(s.certificate_algorithm);
    return cached(std::make_unique<ClientCertificateCredential>(ctx, options), ctx);
  }
  if (method == "workload-identity") {
    return cached(std::make_unique<WorkloadIdentityCredential>(ctx, env("AZURE_FEDERATED_TOKEN_FILE")), ctx);
  }
  if (method == "github-oidc") {
    return cached(std::make_unique<GitHubOidcCredential>(ctx, env("ACTIONS_ID_TOKEN_REQUEST_URL"),
                                                         env("ACTIONS_ID_TOKEN_REQUEST_TOKEN")),
                  ctx);
  }
  if (method == "managed-identity") return cached(std::make_unique<ManagedIdentityCredential>(ctx), ctx);
  if (method == "device-code") return cached(std::make_unique<CachedLoginCredential>(ctx), ctx);
  if (method == "azure-cli") return cached(std::make_unique<AzureCliCredential>(ctx), ctx);
  throw usage_error("unknown --auth method '" + method + "'");
}

}  // namespace

const std::vector<std::string>& auth_methods() {
  static const std::vector<std::string> methods = {
      "token",       "client-secret",    "client-certificate", "workload-identity",
      "github-oidc", "managed-identity", "device-code",        "azure-cli"};
  return methods;
}

ResolvedCredentials resolve_credentials(const CredentialSettings& settings, const AuthContext& ctx) {
  const auto list = candidates(settings, ctx);
  if (!settings.method.empty()) {
    for (const auto& c : list) {
      if (c.method != settings.method) continue;
      // A forced source needs its own inputs; managed identity and the CLI can be tried regardless.
      const bool may_try =
          c.applies || c.method == "managed-identity" || c.method == "azure-cli" || c.method == "device-code";
      if (!may_try) {
        Error error(ErrorKind::auth, "--auth " + c.method + " cannot be used: " + c.why);
        error.hint = "see 'man xtsync' (CREDENTIALS) for what each source needs";
        throw error;
      }
      return {build(c.method, settings, ctx), c.method, "--auth " + c.method};
    }
    throw usage_error("unknown --auth method '" + settings.method + "'");
  }
  for (const auto& c : list) {
    if (c.applies) return {build(c.method, settings, ctx), c.method, c.why};
  }
  std::string tried;
  for (const auto& c : list) tried += fmt::format("\n  {:<19} {}", c.method + ":", c.why);
  Error error(ErrorKind::auth, "no credentials: xtsync needs a Microsoft Graph access token; tried" + tried);
  error.hint =
      "set XTSYNC_ACCESS_TOKEN (or pass --access-token-file), run 'xtsync login', or set AZURE_TENANT_ID and "
      "AZURE_CLIENT_ID with "
      "AZURE_CLIENT_SECRET, AZURE_CLIENT_CERTIFICATE_PATH or AZURE_FEDERATED_TOKEN_FILE";
  throw error;
}

}  // namespace xtsync::auth
