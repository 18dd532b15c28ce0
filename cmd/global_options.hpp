// Options every command accepts (before or after the command name), their environment
// variables, and the Graph session built from them.
#pragma once

#include <CLI/CLI.hpp>
#include <memory>
#include <string>

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

  CLI::Option* output_opt = nullptr;
  CLI::Option* api_version_opt = nullptr;
  CLI::Option* cloud_opt = nullptr;
  CLI::Option* graph_url_opt = nullptr;
  CLI::Option* authority_url_opt = nullptr;
  CLI::Option* ca_file_opt = nullptr;

  render::Format format = render::Format::table;
  bool beta() const { return api_version == "beta"; }
};

void add_global_options(CLI::App& app, GlobalOptions& options);

// Fills unset options from the environment and checks them; throws Error(usage).
void resolve_global_options(GlobalOptions& options, const Context& ctx);

// The Graph root a cloud name stands for (e.g. "global" → https://graph.microsoft.com).
std::string graph_root_for_cloud(const std::string& cloud);

// Everything a command needs to talk to Graph. Built only once the arguments are known good,
// so usage errors never reach the network or the credential sources.
class Session {
 public:
  Session(const GlobalOptions& options, Context& ctx);
  graph::Client& client() { return *client_; }

 private:
  std::unique_ptr<http::Transport> transport_;
  std::unique_ptr<http::Transport> debug_transport_;
  std::unique_ptr<auth::TokenSource> tokens_;
  std::unique_ptr<graph::Client> client_;
};

}  // namespace xtsync::cli
