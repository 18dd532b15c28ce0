// Options every command accepts (before or after the command name), their environment
// variables, and the Graph session built from them.
#pragma once

#include <CLI/CLI.hpp>
#include <memory>
#include <string>

#include "auth/credential.hpp"
#include "auth/credential_chain.hpp"
#include "auth/token_source.hpp"
#include "context.hpp"
#include "graph/client.hpp"
#include "render/policy_view.hpp"

namespace xtsync::cli {

struct GlobalOptions {
  std::string output = "table";
  std::string api_version = "beta";
  std::string cloud = "global";
  std::string graph_url;
  std::string authority_url;
  std::string ca_file;
  double timeout_seconds = 60;
  int max_retries = 4;
  bool debug = false;
  bool quiet = false;
  bool no_color = false;
  std::string access_token_file;
  std::string auth_method;
  std::string tenant;
  std::string client_id;
  std::string client_secret_file;
  std::string certificate_algorithm;

  CLI::Option* output_opt = nullptr;
  CLI::Option* api_version_opt = nullptr;
  CLI::Option* cloud_opt = nullptr;
  CLI::Option* graph_url_opt = nullptr;
  CLI::Option* authority_url_opt = nullptr;
  CLI::Option* ca_file_opt = nullptr;
  CLI::Option* tenant_opt = nullptr;
  CLI::Option* client_id_opt = nullptr;

  render::Format format = render::Format::table;
  bool beta() const { return api_version == "beta"; }
};

void add_global_options(CLI::App& app, GlobalOptions& options);

// Fills unset options from the environment and checks them; throws Error(usage).
void resolve_global_options(GlobalOptions& options, const Context& ctx);

// The Graph root a cloud name stands for (e.g. "global" → https://graph.microsoft.com).
std::string graph_root_for_cloud(const std::string& cloud);

// The sign-in context (cloud, login host, tenant, client id, process hooks) for these options;
// `transport` is what identity requests travel over.
auth::AuthContext make_auth_context(const GlobalOptions& options, Context& ctx, http::Transport& transport);

// A transport as the options ask for it (CA file, timeout), wrapped for --debug when asked.
class TransportStack {
 public:
  // `identity`: for login hosts and managed-identity endpoints, where plain http:// to the
  // link-local metadata address (169.254.169.254) is allowed.
  TransportStack(const GlobalOptions& options, Context& ctx, bool identity = false);
  http::Transport& get() { return debug_ ? *debug_ : *transport_; }

 private:
  std::unique_ptr<http::Transport> transport_;
  std::unique_ptr<http::Transport> debug_;
};

// Everything a command needs to talk to Graph. Built only once the arguments are known good,
// so usage errors never reach the network or the credential sources.
class Session {
 public:
  Session(const GlobalOptions& options, Context& ctx);
  graph::Client& client() { return *client_; }
  auth::TokenSource& tokens() { return *credentials_.source; }
  const auth::ResolvedCredentials& credentials() const { return credentials_; }
  const auth::AuthContext& auth_context() const { return auth_; }

 private:
  TransportStack graph_transport_;
  TransportStack identity_transport_;  // login hosts are another origin; keep Graph's connection alive
  auth::AuthContext auth_;
  auth::ResolvedCredentials credentials_;
  std::unique_ptr<graph::Client> client_;
};

}  // namespace xtsync::cli
