// One way of getting a Graph access token (client secret, certificate, device-code login, …).
// Each credential asks its source afresh on every call; CachingTokenSource decides when to call.
#pragma once

#include <chrono>
#include <functional>
#include <iosfwd>
#include <memory>
#include <optional>
#include <string>

#include "auth/cloud.hpp"
#include "http/send.hpp"
#include "http/transport.hpp"

namespace xtsync::auth {

struct AccessToken {
  std::string value;
  std::chrono::system_clock::time_point expires_on;
};

class Credential {
 public:
  virtual ~Credential() = default;
  // A new token; throws xtsync::Error(auth) with the identity platform's error, codes and
  // trace/correlation IDs when it cannot get one. Never puts a secret in a message.
  virtual AccessToken get_token() = 0;
  // The --auth name of this source, e.g. "client-secret".
  virtual std::string name() const = 0;
  // Graph refused the last token (claims challenge): the next get_token() must not hand back a
  // stored copy of it. Sources that always ask their issuer afresh need do nothing.
  virtual void invalidate() {}
};

// Everything a credential may need from the process and the command line.
struct AuthContext {
  Cloud cloud;                           // login host, Graph resource, federation audience
  std::string tenant;                    // --tenant or AZURE_TENANT_ID
  std::string client_id;                 // --client-id or AZURE_CLIENT_ID
  http::Transport* transport = nullptr;  // for the identity platform and token endpoints
  // Identity calls are retried like Graph calls (throttling, transient failures), within the
  // same waiting budget when the command shares one.
  http::RetryPolicy retry;
  std::shared_ptr<http::RetryBudget> retry_budget;
  std::function<std::optional<std::string>(const std::string&)> getenv;
  std::istream* in = nullptr;   // for "-" file names
  std::ostream* err = nullptr;  // for the device-code sign-in message
  std::function<void(std::chrono::milliseconds)> sleep;
  std::function<std::chrono::system_clock::time_point()> now = [] {
    return std::chrono::system_clock::now();
  };

  // Sends through the one request path (decoration, redirects, retries, interrupts).
  http::Exchange send(http::Request request, const http::Call& call) const;

  // {authority}/{tenant}/oauth2/v2.0/token
  std::string token_endpoint() const { return cloud.authority_host + "/" + tenant + "/oauth2/v2.0/token"; }
};

}  // namespace xtsync::auth
