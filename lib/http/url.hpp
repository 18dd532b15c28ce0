// Absolute http(s) URLs, and the host rules that go with them: the one place that decides what
// may be reached without TLS.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace xtsync::http {

struct Url {
  std::string scheme;  // "http" or "https", lower-case
  std::string host;    // without brackets for IPv6
  std::uint16_t port = 0;
  std::string target;  // path and query, at least "/"

  bool tls() const { return scheme == "https"; }
  // scheme://host:port, used to decide whether a connection can be reused.
  std::string origin() const;
};

// Parses an absolute http:// or https:// URL; throws xtsync::Error(usage) on anything else.
Url parse_url(std::string_view text);

// The host as a URL writes it: brackets around an IPv6 literal.
std::string url_host(std::string_view host);
// "host:port", with brackets around an IPv6 literal.
std::string host_port(std::string_view host, std::uint16_t port);
// "[::1]" → "::1"; anything else unchanged.
std::string_view strip_brackets(std::string_view host) noexcept;

// 127.0.0.0/8, ::1 and "localhost": the only hosts plain http:// may be used with.
bool is_loopback_host(std::string_view host);
// 169.254.0.0/16 as a dotted quad: the instance metadata service (169.254.169.254) lives there.
bool is_link_local_host(std::string_view host);

// 169.254.169.254: the instance metadata service, the one link-local address xtsync talks to.
bool is_metadata_service_host(std::string_view host) noexcept;

// Throws Error(usage) when `url` is plain http:// to anything but a loopback host; `what`
// names the setting, e.g. "--graph-url 'http://example.com'".
void require_tls_unless_loopback(const Url& url, std::string_view what);

}  // namespace xtsync::http
