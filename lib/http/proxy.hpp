// HTTP proxies from the environment (HTTPS_PROXY, NO_PROXY, ...), as curl reads them.
// Pure logic: which proxy a request uses and how to talk to it. The Beast transport does the
// talking (CONNECT tunnels); nothing here touches the network.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include "http/url.hpp"

namespace xtsync::http {

// An http:// proxy. TLS to the proxy itself (https:// proxies) and SOCKS are not supported.
struct Proxy {
  std::string host;  // lower-case, without brackets for IPv6
  std::uint16_t port = 80;
  // Percent-decoded; credentials are sent only when username is present.
  std::optional<std::string> username;
  std::string password;

  // "host:port" (brackets for IPv6): how the proxy is named in messages. Never has credentials.
  std::string authority() const;
  bool has_credentials() const { return username.has_value(); }
  // The Proxy-Authorization value, "Basic base64(user:password)"; empty without credentials.
  std::string authorization() const;
};

// Parses a proxy URL as found in HTTPS_PROXY: [http://][user[:password]@]host[:port][/].
// No scheme means http://; no port means 80 (as Go and Python requests do; curl says 1080).
// A path is ignored. Throws Error(usage) naming `variable` but never quoting the value, which
// may hold a password.
Proxy parse_proxy_url(std::string_view text, std::string_view variable);

// True when the NO_PROXY list excludes host:port, with curl's rules: entries separated by
// commas (blanks before an entry are skipped; an entry ends at a blank); "*" matches every host; an entry matches the host itself or any name
// under it ("example.com" and ".example.com" both match example.com and a.example.com; a
// leading "*." is read as "."); an optional ":port" (IPv6: "[::1]:443") limits the entry to
// that port; IP addresses match as text, or by CIDR prefix ("10.0.0.0/8", "fd00::/8");
// case and surrounding spaces are ignored.
bool no_proxy_matches(std::string_view no_proxy, std::string_view host, std::uint16_t port);

// The proxy configuration the environment describes.
struct ProxyEnvironment {
  std::optional<Proxy> https;  // for https:// targets
  std::optional<Proxy> http;   // for http:// targets
  std::string https_variable;  // the variable https came from, e.g. "HTTPS_PROXY"
  std::string no_proxy;

  // The proxy for a request to url, or nothing for a direct connection. Loopback hosts
  // (127.0.0.0/8, ::1, localhost: for xtsync, only the emulator) and link-local 169.254.0.0/16
  // (the managed-identity metadata service, reachable only from the machine itself) are never
  // proxied, whatever NO_PROXY says.
  std::optional<Proxy> select(const Url& url) const;
};

// Reads the variables through getenv, lower-case first as curl does: https_proxy, HTTPS_PROXY,
// then all_proxy, ALL_PROXY for https:// targets; http_proxy, HTTP_PROXY, then all_proxy,
// ALL_PROXY for http:// targets; no_proxy, then NO_PROXY. An empty variable counts as unset.
// Throws Error(usage) on a proxy URL it cannot use.
ProxyEnvironment read_proxy_environment(
    const std::function<std::optional<std::string>(const std::string&)>& getenv);

}  // namespace xtsync::http
