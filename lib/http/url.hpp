// The parts of an absolute http(s) URL that the transport and the client need.
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

// 127.0.0.0/8, ::1 and "localhost": the only hosts plain http:// may be used with.
bool is_loopback_host(std::string_view host);

}  // namespace xtsync::http
