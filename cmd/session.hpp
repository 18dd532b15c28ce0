// The composition root: the one place that wires transports, proxies, --debug, the retry
// budget, credentials and the Graph client together from the global options (gh's
// factory/default.go). Built only once the arguments are known good, so usage errors never
// reach the network or the credential sources.
#pragma once

#include <memory>

#include "auth/credential.hpp"
#include "auth/credential_chain.hpp"
#include "context.hpp"
#include "graph/client.hpp"
#include "http/send.hpp"
#include "options.hpp"

namespace xtsync::cli {

// A transport as the options ask for it (CA file, timeout, proxy), wrapped for --debug.
class TransportStack {
 public:
  // `identity`: for login hosts and managed-identity endpoints, where plain http:// to the
  // link-local metadata address (169.254.169.254) is allowed.
  TransportStack(const GlobalOptions& options, Context& ctx, bool identity = false,
                 std::chrono::milliseconds interrupt_grace = std::chrono::milliseconds(0));
  http::Transport& get() { return debug_ ? *debug_ : *transport_; }

 private:
  std::unique_ptr<http::Transport> transport_;
  std::unique_ptr<http::Transport> debug_;
};

// The retry rules the options ask for (--max-retries; the waits are fixed).
http::RetryPolicy retry_policy(const GlobalOptions& options, Context& ctx);

// The sign-in context (cloud, login host, tenant, client id, process hooks) for these options;
// identity requests travel over `transport` and share `budget` with the Graph calls.
auth::AuthContext make_auth_context(const GlobalOptions& options, Context& ctx, http::Transport& transport,
                                    std::shared_ptr<http::RetryBudget> budget = nullptr);

class Session {
 public:
  Session(const GlobalOptions& options, Context& ctx);
  graph::Client& client() { return *client_; }
  // Another client on a connection of its own, sharing the credentials and the retry budget
  // (apply's parallel connections). `interrupt_grace` lets a request in flight finish after
  // Ctrl-C. The session owns its transport; the client must not outlive the session.
  std::unique_ptr<graph::Client> make_client(std::chrono::milliseconds interrupt_grace);
  auth::ResolvedCredentials& credentials() { return credentials_; }
  const auth::AuthContext& auth_context() const { return auth_; }

 private:
  std::shared_ptr<http::RetryBudget> budget_;  // all waiting of the command, Graph and identity
  TransportStack graph_transport_;
  TransportStack identity_transport_;  // login hosts are another origin; keep Graph's connection alive
  auth::AuthContext auth_;
  auth::ResolvedCredentials credentials_;
  std::unique_ptr<http::SynchronizedTokenSource> tokens_;  // one caller at a time, across connections
  graph::ClientOptions client_options_;
  std::unique_ptr<graph::Client> client_;
  const GlobalOptions& options_;
  Context& ctx_;
  std::vector<std::unique_ptr<TransportStack>> extra_transports_;
};

}  // namespace xtsync::cli
