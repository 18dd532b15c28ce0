// Options every command accepts (before or after the command name), grouped by concern as
// libmamba's common_options does, and their environment variables.
#pragma once

#include <CLI/CLI.hpp>
#include <string>

#include "auth/cloud.hpp"
#include "context.hpp"
#include "graph/api_version.hpp"
#include "render/policy_view.hpp"

namespace xtsync::cli {

struct GlobalOptions {
  // Output: -o, --debug, -q, --no-color.
  std::string output = "table";
  bool debug = false;
  bool quiet = false;
  bool no_color = false;
  render::Format format = render::Format::table;  // parsed from `output`

  // Endpoint: --api-version, --cloud, --graph-url, --authority-url.
  std::string api_version = "beta";
  graph::ApiVersion version = graph::ApiVersion::beta;  // parsed from `api_version`
  std::string cloud = "global";
  auth::Cloud cloud_endpoints;  // from `cloud`, with --authority-url applied
  std::string graph_url;        // the Graph root: --graph-url or the cloud's

  // Network: --ca-file, --timeout, --max-retries.
  std::string ca_file;
  double timeout_seconds = 60;
  int max_retries = 4;

  // Sign-in: --auth, --tenant, --client-id and the credential files.
  std::string access_token_file;
  std::string auth_method;
  std::string tenant;
  std::string client_id;
  std::string client_secret_file;
  std::string certificate_algorithm;

  // Raw --authority-url (or AZURE_AUTHORITY_HOST) before normalizing.
  std::string authority_url;

  bool beta() const { return version == graph::ApiVersion::beta; }

  // Set by the add_* functions so environment variables fill only what the command line left.
  CLI::Option* output_opt = nullptr;
  CLI::Option* api_version_opt = nullptr;
  CLI::Option* cloud_opt = nullptr;
  CLI::Option* graph_url_opt = nullptr;
  CLI::Option* authority_url_opt = nullptr;
  CLI::Option* ca_file_opt = nullptr;
  CLI::Option* tenant_opt = nullptr;
  CLI::Option* client_id_opt = nullptr;
};

void add_output_options(CLI::App& app, GlobalOptions& options);
void add_endpoint_options(CLI::App& app, GlobalOptions& options);
void add_network_options(CLI::App& app, GlobalOptions& options);
void add_signin_options(CLI::App& app, GlobalOptions& options);
void add_global_options(CLI::App& app, GlobalOptions& options);

void resolve_output_options(GlobalOptions& options, const Context& ctx);
void resolve_endpoint_options(GlobalOptions& options, const Context& ctx);
void resolve_network_options(GlobalOptions& options, const Context& ctx);
void resolve_signin_options(GlobalOptions& options, const Context& ctx);
// Fills unset options from the environment and checks them; throws Error(usage).
void resolve_global_options(GlobalOptions& options, const Context& ctx);

// `value` from the environment variable `name` unless the option was given (an empty
// variable counts as unset).
void fill_from_env(const CLI::Option* option, std::string& value, const Context& ctx,
                   const std::string& name);

}  // namespace xtsync::cli
