// --api-version, --cloud, --graph-url, --authority-url: which Graph and which login host.
#include "error.hpp"
#include "http/url.hpp"
#include "options.hpp"

namespace xtsync::cli {

void add_endpoint_options(CLI::App& app, GlobalOptions& o) {
  o.api_version_opt = app.add_option("--api-version", o.api_version,
                                     "Graph API version: beta or v1.0 [env XTSYNC_API_VERSION]")
                          ->check(CLI::IsMember({"beta", "v1.0"}));
  o.cloud_opt = app.add_option("--cloud", o.cloud,
                               "National cloud: global, usgov, usgov-dod or china [env XTSYNC_CLOUD]")
                    ->check(CLI::IsMember({"global", "usgov", "usgov-dod", "china"}));
  o.graph_url_opt =
      app.add_option("--graph-url", o.graph_url, "Graph root URL without version [env XTSYNC_GRAPH_URL]");
  o.authority_url_opt =
      app.add_option("--authority-url", o.authority_url, "Login host URL [env AZURE_AUTHORITY_HOST]");
}

void resolve_endpoint_options(GlobalOptions& o, const Context& ctx) {
  fill_from_env(o.api_version_opt, o.api_version, ctx, "XTSYNC_API_VERSION");
  fill_from_env(o.cloud_opt, o.cloud, ctx, "XTSYNC_CLOUD");
  // `--graph-url "$URL"` with an empty variable must not quietly mean production Graph.
  if (o.graph_url_opt->count() > 0 && o.graph_url.empty()) throw usage_error("--graph-url is empty");
  fill_from_env(o.graph_url_opt, o.graph_url, ctx, "XTSYNC_GRAPH_URL");
  fill_from_env(o.authority_url_opt, o.authority_url, ctx, "AZURE_AUTHORITY_HOST");

  o.version = graph::parse_api_version(o.api_version, "XTSYNC_API_VERSION");
  o.cloud_endpoints = auth::cloud_by_name(o.cloud);
  if (!o.authority_url.empty()) o.cloud_endpoints.authority_host = auth::normalize_authority(o.authority_url);
  if (o.graph_url.empty()) o.graph_url = o.cloud_endpoints.graph_root;
  const auto graph = http::parse_url(o.graph_url);
  http::require_tls_unless_loopback(graph, "--graph-url '" + o.graph_url + "'");
  if (graph.target != "/" && !graph.target.empty()) {
    const bool has_version =
        graph.target.find("/beta") != std::string::npos || graph.target.find("/v1.0") != std::string::npos;
    if (has_version) {
      throw usage_error(
          "--graph-url takes the Graph root without a version, e.g. https://graph.microsoft.com");
    }
  }
}

}  // namespace xtsync::cli
