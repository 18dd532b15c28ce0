#include "global_options.hpp"

#include <functional>
#include <memory>
#include <optional>
#include <ostream>

#include "auth/cloud.hpp"
#include "error.hpp"
#include "util/interrupt.hpp"
#include "http/debug_transport.hpp"
#include "http/proxy.hpp"
#include "http/url.hpp"

namespace xtsync::cli {

void add_global_options(CLI::App& app, GlobalOptions& o) {
  o.output_opt = app.add_option("-o,--output", o.output, "Output format: table, json or tsv [env XTSYNC_OUTPUT]")
                     ->check(CLI::IsMember({"table", "json", "tsv"}));
  o.api_version_opt = app.add_option("--api-version", o.api_version, "Graph API version: beta or v1.0 [env XTSYNC_API_VERSION]")
                          ->check(CLI::IsMember({"beta", "v1.0"}));
  o.cloud_opt = app.add_option("--cloud", o.cloud, "National cloud: global, usgov, usgov-dod or china [env XTSYNC_CLOUD]")
                    ->check(CLI::IsMember({"global", "usgov", "usgov-dod", "china"}));
  o.graph_url_opt = app.add_option("--graph-url", o.graph_url, "Graph root URL without version [env XTSYNC_GRAPH_URL]");
  o.authority_url_opt = app.add_option("--authority-url", o.authority_url, "Login host URL [env AZURE_AUTHORITY_HOST]");
  o.ca_file_opt = app.add_option("--ca-file", o.ca_file, "Extra trusted CA bundle (PEM) [env SSL_CERT_FILE]");
  app.add_option("--timeout", o.timeout_seconds, "Per-request timeout in seconds (default 60)")
      ->check(CLI::Range(0.1, 3600.0));
  app.add_option("--max-retries", o.max_retries, "Retries of throttled or transient failures (default 4)")
      ->check(CLI::Range(0, 10));
  app.add_option("--access-token-file", o.access_token_file, "Read the access token from FILE (- for stdin)");
  app.add_option("--auth", o.auth_method, "Force one credential source (default: the first that applies)")
      ->check(CLI::IsMember(auth::auth_methods()));
  o.tenant_opt = app.add_option("--tenant", o.tenant, "Tenant to sign in to [env AZURE_TENANT_ID]");
  o.client_id_opt = app.add_option("--client-id", o.client_id, "Application (client) ID [env AZURE_CLIENT_ID]");
  app.add_option("--client-secret-file", o.client_secret_file, "Read the client secret from FILE (- for stdin)");
  app.add_option("--certificate-algorithm", o.certificate_algorithm,
                 "Client assertion signature: PS256 (default) or RS256")
      ->check(CLI::IsMember({"PS256", "RS256"}, CLI::ignore_case));
  app.add_flag("--debug", o.debug, "Print every HTTP exchange on stderr, secrets redacted");
  app.add_flag("-q,--quiet", o.quiet, "Print only errors on stderr");
  app.add_flag("--no-color", o.no_color, "Do not color messages [env NO_COLOR]");
}

namespace {

void from_env(CLI::Option* opt, std::string& value, const Context& ctx, const std::string& name) {
  if (opt->count() > 0) return;
  if (auto env = ctx.getenv(name); env && !env->empty()) value = *env;
}

void check_member(const std::string& value, std::initializer_list<std::string_view> allowed, const std::string& what) {
  for (auto a : allowed) {
    if (value == a) return;
  }
  throw usage_error("invalid " + what + " '" + value + "'");
}

}  // namespace

void resolve_global_options(GlobalOptions& o, const Context& ctx) {
  from_env(o.output_opt, o.output, ctx, "XTSYNC_OUTPUT");
  from_env(o.api_version_opt, o.api_version, ctx, "XTSYNC_API_VERSION");
  from_env(o.cloud_opt, o.cloud, ctx, "XTSYNC_CLOUD");
  from_env(o.graph_url_opt, o.graph_url, ctx, "XTSYNC_GRAPH_URL");
  from_env(o.authority_url_opt, o.authority_url, ctx, "AZURE_AUTHORITY_HOST");
  from_env(o.ca_file_opt, o.ca_file, ctx, "SSL_CERT_FILE");
  from_env(o.tenant_opt, o.tenant, ctx, "AZURE_TENANT_ID");
  from_env(o.client_id_opt, o.client_id, ctx, "AZURE_CLIENT_ID");
  if (auto no_color = ctx.getenv("NO_COLOR"); no_color && !no_color->empty()) o.no_color = true;

  o.format = render::parse_format(o.output);
  check_member(o.api_version, {"beta", "v1.0"}, "API version (XTSYNC_API_VERSION; use beta or v1.0)");
  check_member(o.cloud, {"global", "usgov", "usgov-dod", "china"},
               "cloud (XTSYNC_CLOUD; use global, usgov, usgov-dod or china)");
  if (o.graph_url.empty()) o.graph_url = graph_root_for_cloud(o.cloud);
  const auto graph = http::parse_url(o.graph_url);
  if (!graph.tls() && !http::is_loopback_host(graph.host)) {
    throw usage_error("--graph-url '" + o.graph_url + "' uses plain http://, which is only allowed for loopback hosts");
  }
  if (graph.target != "/" && !graph.target.empty()) {
    const bool has_version = graph.target.find("/beta") != std::string::npos || graph.target.find("/v1.0") != std::string::npos;
    if (has_version) throw usage_error("--graph-url takes the Graph root without a version, e.g. https://graph.microsoft.com");
  }
  if (!o.authority_url.empty()) o.authority_url = auth::normalize_authority(o.authority_url);
}

std::string graph_root_for_cloud(const std::string& cloud) {
  if (cloud == "usgov") return "https://graph.microsoft.us";
  if (cloud == "usgov-dod") return "https://dod-graph.microsoft.us";
  if (cloud == "china") return "https://microsoftgraph.chinacloudapi.cn";
  return "https://graph.microsoft.com";
}

auth::AuthContext make_auth_context(const GlobalOptions& o, Context& ctx, http::Transport& transport) {
  auth::AuthContext a;
  a.cloud = auth::cloud_by_name(o.cloud);
  if (!o.authority_url.empty()) a.cloud.authority_host = o.authority_url;
  a.tenant = o.tenant;
  a.client_id = o.client_id;
  a.transport = &transport;
  a.getenv = ctx.getenv;
  a.in = &ctx.in;
  a.err = &ctx.err;
  a.sleep = ctx.sleep ? ctx.sleep : util::interruptible_sleep;
  return a;
}

namespace {

// HTTPS_PROXY and friends, as the transport wants them: a per-request choice of proxy. With
// --debug, every request that goes through the proxy says so (never with the credentials).
std::function<std::optional<http::Proxy>(const http::Url&)> proxy_chooser(bool debug, Context& ctx) {
  if (!ctx.getenv) return {};
  auto env = std::make_shared<const http::ProxyEnvironment>(http::read_proxy_environment(ctx.getenv));
  if (!env->https && !env->http) return {};
  std::ostream* log = debug ? &ctx.err : nullptr;
  return [env, log](const http::Url& url) {
    auto proxy = env->select(url);
    if (log && proxy) {
      *log << "debug: via " << (proxy->has_credentials() ? "authenticated " : "") << "proxy " << proxy->authority()
           << " to " << url.host << '\n';
    }
    return proxy;
  };
}

}  // namespace

TransportStack::TransportStack(const GlobalOptions& o, Context& ctx, bool identity) {
  http::BeastTransportOptions options;
  options.allow_link_local_http = identity;
  options.ca_file = o.ca_file;
  options.request_timeout = std::chrono::milliseconds(static_cast<long long>(o.timeout_seconds * 1000));
  options.connect_timeout = std::min(options.request_timeout, std::chrono::milliseconds(10000));
  options.proxy = proxy_chooser(o.debug, ctx);
  transport_ = ctx.make_transport(options);
  if (o.debug) debug_ = std::make_unique<http::DebugTransport>(*transport_, ctx.err);
}

Session::Session(const GlobalOptions& o, Context& ctx)
    : graph_transport_(o, ctx),
      identity_transport_(o, ctx, true),
      auth_(make_auth_context(o, ctx, identity_transport_.get())) {
  auth::CredentialSettings settings{o.auth_method, o.access_token_file, o.client_secret_file, o.certificate_algorithm};
  credentials_ = auth::resolve_credentials(settings, auth_);
  if (o.debug) ctx.err << "debug: credentials: " << credentials_.method << " (" << credentials_.reason << ")\n";

  graph::ClientOptions client_options;
  client_options.graph_root = o.graph_url;
  client_options.api_version = o.api_version;
  client_options.max_retries = o.max_retries;
  if (ctx.sleep) client_options.sleep = ctx.sleep;
  client_ = std::make_unique<graph::Client>(graph_transport_.get(), *credentials_.source, client_options);
}

}  // namespace xtsync::cli
