#include "http/url.hpp"

#include <boost/url/parse.hpp>
#include <boost/url/url_view.hpp>
#include <algorithm>
#include <charconv>

#include "error.hpp"
#include "util/strings.hpp"

namespace xtsync::http {

std::string url_host(std::string_view host) {
  std::string text;
  const bool v6 = host.find(':') != std::string_view::npos;
  if (v6) text += '[';
  text += host;
  if (v6) text += ']';
  return text;
}

std::string host_port(std::string_view host, std::uint16_t port) {
  std::string text = url_host(host);
  text += ':';
  text += std::to_string(port);
  return text;
}

std::string_view strip_brackets(std::string_view host) noexcept {
  if (host.size() > 2 && host.front() == '[' && host.back() == ']') return host.substr(1, host.size() - 2);
  return host;
}

std::string Url::origin() const {
  return scheme + "://" + host_port(host, port);
}

Url parse_url(std::string_view text) {
  auto parsed = boost::urls::parse_absolute_uri(text);
  if (!parsed) throw usage_error("'" + std::string(text) + "' is not an absolute URL");
  const boost::urls::url_view& u = *parsed;

  Url url;
  url.scheme = util::to_lower(u.scheme());
  if (url.scheme != "http" && url.scheme != "https") {
    throw usage_error("'" + std::string(text) + "' must use http:// or https://");
  }
  if (u.has_userinfo()) throw usage_error("URLs with user names or passwords are not accepted");
  url.host = util::to_lower(u.host_address());
  if (url.host.empty()) throw usage_error("'" + std::string(text) + "' has no host");
  // Host names in plain letters, digits, dots and dashes only: no percent-encoding, nothing a
  // lenient parser could read as another host.
  if (u.host_type() == boost::urls::host_type::name) {
    const auto encoded = u.encoded_host();
    const bool plain = std::all_of(encoded.begin(), encoded.end(), [](char c) {
      return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' || c == '-';
    });
    if (!plain) throw usage_error("'" + std::string(text) + "' has an invalid host");
  }
  if (u.has_port()) {
    const auto port = u.port();
    unsigned value = 0;
    const auto [ptr, ec] = std::from_chars(port.data(), port.data() + port.size(), value);
    if (ec != std::errc{} || ptr != port.data() + port.size() || value == 0 || value > 65535) {
      throw usage_error("'" + std::string(text) + "' has an invalid port");
    }
    url.port = static_cast<std::uint16_t>(value);
  } else {
    url.port = url.tls() ? 443 : 80;
  }
  const auto path = u.encoded_path();
  // Boost.URL 1.81 reads "http://127.0.0.1x:5555" as host 127.0.0.1 and path "x:5555"; a
  // path after an authority must start with '/'.
  if (!path.empty() && path.front() != '/') throw usage_error("'" + std::string(text) + "' has an invalid host or port");
  const auto query = u.encoded_query();
  std::string target;
  target.reserve(path.size() + query.size() + 2);
  if (path.empty()) target.push_back('/');
  target.append(path.data(), path.size());
  if (u.has_query()) {
    target.push_back('?');
    target.append(query.data(), query.size());
  }
  url.target = std::move(target);
  return url;
}

bool is_loopback_host(std::string_view host) {
  host = strip_brackets(host);
  if (util::iequals(host, "localhost") || host == "::1") return true;
  // 127.0.0.0/8 written as a dotted quad.
  auto parsed = boost::urls::parse_ipv4_address(host);
  return parsed && (parsed->to_uint() >> 24) == 127;
}

bool is_link_local_host(std::string_view host) {
  auto parsed = boost::urls::parse_ipv4_address(host);
  return parsed && (parsed->to_uint() >> 16) == ((169u << 8) | 254u);
}

bool is_metadata_service_host(std::string_view host) noexcept { return host == "169.254.169.254"; }

void require_tls_unless_loopback(const Url& url, std::string_view what) {
  if (url.tls() || is_loopback_host(url.host)) return;
  throw usage_error(std::string(what) +
                    " uses plain http://, which is only allowed for loopback hosts; use https://");
}

}  // namespace xtsync::http
