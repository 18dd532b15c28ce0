// The real Transport: HTTP/1.1 over TCP (loopback http://) or TLS (https://) with Boost.Beast.
#pragma once

#include <chrono>
#include <cstddef>
#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "http/proxy.hpp"
#include "http/transport.hpp"
#include "http/url.hpp"

namespace xtsync::http {

struct BeastTransportOptions {
  // Extra trusted CA bundle (PEM), added to the system store; empty for none.
  std::string ca_file;
  std::chrono::milliseconds connect_timeout{std::chrono::seconds(10)};
  // Deadline for one whole request: write, then read of the complete response.
  std::chrono::milliseconds request_timeout{std::chrono::seconds(60)};
  // Largest response body accepted; a bigger one fails rather than exhausting memory.
  std::size_t max_body_size = 16 * 1024 * 1024;
  // Also allow plain http:// to link-local 169.254.0.0/16: the Azure instance metadata
  // service (managed identity) only listens there, without TLS.
  bool allow_link_local_http = false;
  // The proxy a request goes through, or nothing (or no function) for a direct connection.
  // The caller decides: ProxyEnvironment::select applies NO_PROXY and never proxies loopback;
  // the transport tunnels whatever this returns, so tests can proxy to a loopback server.
  // https:// goes through a CONNECT tunnel, TLS verified against the origin host; plain
  // http:// is sent to the proxy in absolute form.
  std::function<std::optional<Proxy>(const Url&)> proxy;
};

std::unique_ptr<Transport> make_beast_transport(const BeastTransportOptions& options);

}  // namespace xtsync::http
