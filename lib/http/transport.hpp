// The seam between xtsync and the network. The real implementation (http/beast, its own CMake
// target) is the only code that sees Beast, Asio or libssl; tests swap in a scripted fake.
#pragma once

#include <chrono>
#include <cstddef>
#include <functional>
#include <optional>
#include <string>

#include "http/message.hpp"
#include "http/proxy.hpp"
#include "http/url.hpp"

namespace xtsync::http {

class Transport {
 public:
  virtual ~Transport() = default;

  // Sends one request and returns the response, whatever its status.
  // Failures to get a complete response (DNS, connect, TLS, timeout, broken framing) throw
  // xtsync::Error with ErrorKind::network.
  virtual Response send(const Request& request) = 0;

  // Drops any kept-alive connection so the next request opens a new one
  // (Graph asks for a fresh connection when retrying after a 503).
  virtual void reset_connection() {}
};

// What a real transport is built with.
struct TransportOptions {
  // Extra trusted CA bundle (PEM), added to the system store; empty for none.
  std::string ca_file;
  std::chrono::milliseconds connect_timeout{std::chrono::seconds(10)};
  // Deadline for one whole request: write, then read of the complete response.
  std::chrono::milliseconds request_timeout{std::chrono::seconds(60)};
  // Largest response body accepted; a bigger one fails rather than exhausting memory.
  std::size_t max_body_size = 16 * 1024 * 1024;
  // Also allow plain http:// to 169.254.169.254: the Azure instance metadata service
  // (managed identity) only listens there, without TLS. No other link-local address.
  bool allow_metadata_http = false;
  // The proxy a request goes through, or nothing (or no function) for a direct connection.
  // The caller decides: ProxyEnvironment::select applies NO_PROXY and never proxies loopback;
  // the transport tunnels whatever this returns, so tests can proxy to a loopback server.
  // https:// goes through a CONNECT tunnel, TLS verified against the origin host; plain
  // http:// is sent to the proxy in absolute form.
  std::function<std::optional<Proxy>(const Url&)> proxy;
  // After Ctrl-C, how long a request already in flight may still finish (apply lets its
  // batches land, so it can report them); 0 stops at once.
  std::chrono::milliseconds interrupt_grace{0};
  // The environment (SSL_CERT_DIR); null: the process's own.
  std::function<std::optional<std::string>(const std::string&)> getenv;
  // Where --debug lines about the connection go (which CA store was used); null: nowhere.
  std::function<void(const std::string&)> debug_log;
};

}  // namespace xtsync::http
