#include "session.hpp"

#include <fmt/format.h>

#include <functional>
#include <optional>
#include <ostream>

#include "http/debug_transport.hpp"
#include "http/proxy.hpp"
#include "util/interrupt.hpp"

namespace xtsync::cli {

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
      *log << "debug: via " << (proxy->has_credentials() ? "authenticated " : "") << "proxy "
           << proxy->authority() << " to " << url.host << '\n';
    }
    return proxy;
  };
}

}  // namespace

TransportStack::TransportStack(const GlobalOptions& o, Context& ctx, bool identity,
                               std::chrono::milliseconds interrupt_grace) {
  http::TransportOptions options;
  options.interrupt_grace = interrupt_grace;
  options.allow_metadata_http = identity;
  options.ca_file = o.ca_file;
  options.request_timeout = std::chrono::milliseconds(static_cast<long long>(o.timeout_seconds * 1000));
  options.connect_timeout = std::min(options.request_timeout, std::chrono::milliseconds(10000));
  options.proxy = proxy_chooser(o.debug, ctx);
  options.getenv = ctx.getenv;
  if (o.debug) options.debug_log = [&ctx](const std::string& line) { ctx.err << line << '\n'; };
  transport_ = ctx.make_transport(options);
  if (o.debug) debug_ = std::make_unique<http::DebugTransport>(*transport_, ctx.err);
}

// "throttled by Graph (429); retrying in 3 s (1/4)" on stderr, unless -q: a command that
// waits is never silent about why.
std::function<void(const http::RetryNotice&)> retry_notices(const GlobalOptions& o, Context& ctx) {
  if (o.quiet) return {};
  const std::string graph_root = o.graph_url;
  return [graph_root, &ctx](const http::RetryNotice& n) {
    const std::string who = n.url.rfind(graph_root, 0) == 0 ? "Graph" : "the sign-in service";
    std::string why;
    if (n.status == 429) {
      why = "throttled by " + who + " (429)";
    } else if (n.status == 0) {
      why = "the connection to " + who + " failed";
    } else {
      why = who + " answered " + std::to_string(n.status);
    }
    const double seconds = static_cast<double>(n.delay.count()) / 1000.0;
    ctx.err << fmt::format("{}; retrying in {:.{}f} s ({}/{})\n", why, seconds, seconds < 10 ? 1 : 0, n.retry,
                           n.max_retries);
  };
}

http::RetryPolicy retry_policy(const GlobalOptions& o, Context& ctx) {
  http::RetryPolicy policy;
  policy.max_retries = o.max_retries;
  policy.on_retry = retry_notices(o, ctx);
  return policy;
}

auth::AuthContext make_auth_context(const GlobalOptions& o, Context& ctx, http::Transport& transport,
                                    std::shared_ptr<http::RetryBudget> budget) {
  auth::AuthContext a;
  a.cloud = o.cloud_endpoints;
  a.tenant = o.tenant;
  a.client_id = o.client_id;
  a.transport = &transport;
  a.retry = retry_policy(o, ctx);
  a.retry_budget = std::move(budget);
  a.getenv = ctx.getenv;
  a.in = &ctx.in;
  a.err = &ctx.err;
  a.sleep = ctx.sleep ? ctx.sleep : util::interruptible_sleep;
  return a;
}

Session::Session(const GlobalOptions& o, Context& ctx)
    : budget_(std::make_shared<http::RetryBudget>(retry_policy(o, ctx).budget)),
      graph_transport_(o, ctx),
      identity_transport_(o, ctx, true),
      auth_(make_auth_context(o, ctx, identity_transport_.get(), budget_)),
      options_(o),
      ctx_(ctx) {
  auth::CredentialSettings settings{o.auth_method, o.access_token_file, o.client_secret_file, o.certificate_algorithm};
  credentials_ = auth::resolve_credentials(settings, auth_);
  if (o.debug) ctx.err << "debug: credentials: " << credentials_.method << " (" << credentials_.reason << ")\n";
  tokens_ = std::make_unique<http::SynchronizedTokenSource>(*credentials_.source);

  client_options_.graph_root = o.graph_url;
  client_options_.api_version = o.version;
  client_options_.max_retries = o.max_retries;
  client_options_.on_retry = retry_notices(o, ctx);
  client_options_.shared_budget = budget_;
  if (ctx.sleep) client_options_.sleep = ctx.sleep;
  client_ = std::make_unique<graph::Client>(graph_transport_.get(), *tokens_, client_options_);
}

std::unique_ptr<graph::Client> Session::make_client(std::chrono::milliseconds interrupt_grace) {
  extra_transports_.push_back(std::make_unique<TransportStack>(options_, ctx_, false, interrupt_grace));
  return std::make_unique<graph::Client>(extra_transports_.back()->get(), *tokens_, client_options_);
}

}  // namespace xtsync::cli
