#include "http/proxy.hpp"

#include <array>
#include <boost/url/parse.hpp>
#include <boost/url/url_view.hpp>
#include <charconv>
#include <cstddef>
#include <vector>

#include "error.hpp"
#include "util/base64.hpp"
#include "util/strings.hpp"
#include "util/redact.hpp"

namespace xtsync::http {

namespace {

std::optional<unsigned> parse_number(std::string_view text, unsigned max) {
  unsigned value = 0;
  const auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (text.empty() || ec != std::errc{} || ptr != text.data() + text.size() || value > max)
    return std::nullopt;
  return value;
}

// An IPv4 or IPv6 literal as 16 bytes, IPv4 mapped into ::ffff:0:0/96.
struct Address {
  std::array<unsigned char, 16> bytes{};
  bool v4 = false;
};

std::optional<Address> parse_address(std::string_view text) {
  Address address;
  if (auto v4 = boost::urls::parse_ipv4_address(text)) {
    address.v4 = true;
    const auto b = v4->to_bytes();
    address.bytes[10] = address.bytes[11] = 0xff;
    for (std::size_t i = 0; i < 4; ++i) address.bytes[12 + i] = b[i];
    return address;
  }
  if (auto v6 = boost::urls::parse_ipv6_address(text)) {
    const auto b = v6->to_bytes();
    for (std::size_t i = 0; i < 16; ++i) address.bytes[i] = b[i];
    return address;
  }
  return std::nullopt;
}

// "10.0.0.0/8" or "fd00::/8" against a host that is an IP literal.
bool cidr_matches(std::string_view entry, std::string_view host) {
  const auto slash = entry.find('/');
  const auto network = parse_address(entry.substr(0, slash));
  const auto address = parse_address(host);
  if (!network || !address || network->v4 != address->v4) return false;
  const auto bits = parse_number(entry.substr(slash + 1), network->v4 ? 32 : 128);
  if (!bits) return false;
  unsigned remaining = *bits + (network->v4 ? 96 : 0);
  for (std::size_t i = 0; i < 16 && remaining > 0; ++i) {
    const unsigned take = remaining >= 8 ? 8 : remaining;
    const auto mask = static_cast<unsigned char>(0xff00u >> take);
    if ((network->bytes[i] & mask) != (address->bytes[i] & mask)) return false;
    remaining -= take;
  }
  return true;
}

bool entry_matches(std::string_view entry, std::string_view host, bool host_is_ip, std::uint16_t port) {
  if (entry == "*") return true;
  // Split off an optional port: "[v6]:port", "name:port"; a bare IPv6 address has several colons.
  std::string_view name = entry;
  std::string_view port_text;
  bool has_port = false;
  if (entry.front() == '[') {
    const auto close = entry.find(']');
    if (close == std::string_view::npos) return false;
    name = entry.substr(1, close - 1);
    const auto rest = entry.substr(close + 1);
    if (!rest.empty()) {
      if (rest.front() != ':') return false;
      port_text = rest.substr(1);
      has_port = true;
    }
  } else if (const auto colon = entry.find(':');
             colon != std::string_view::npos && entry.find(':', colon + 1) == std::string_view::npos) {
    name = entry.substr(0, colon);
    port_text = entry.substr(colon + 1);
    has_port = true;
  }
  if (has_port) {
    const auto wanted = parse_number(port_text, 65535);
    if (!wanted || *wanted != port) return false;
  }

  if (name.find('/') != std::string_view::npos) return host_is_ip && cidr_matches(name, host);
  if (name.starts_with("*.")) name.remove_prefix(1);
  if (name.starts_with(".")) name.remove_prefix(1);
  if (name.ends_with(".")) name.remove_suffix(1);
  if (name.empty()) return false;
  if (host == name) return true;
  // Domain suffix, on a label boundary; addresses only ever match whole.
  return !host_is_ip && host.size() > name.size() && host.ends_with(name) &&
         host[host.size() - name.size() - 1] == '.';
}

std::optional<std::string> first_set(
    const std::function<std::optional<std::string>(const std::string&)>& getenv,
    std::initializer_list<const char*> names, std::string* which = nullptr) {
  if (!getenv) return std::nullopt;
  for (const char* name : names) {
    auto value = getenv(name);
    if (value && !util::trim(*value).empty()) {
      if (which) *which = name;
      return std::string(util::trim(*value));
    }
  }
  return std::nullopt;
}

}  // namespace

std::string Proxy::authority() const {
  return host_port(host, port);
}

std::string Proxy::authorization() const {
  if (!username) return {};
  std::string pair = *username;
  pair += ':';
  pair += password;
  std::string value = "Basic ";
  value += util::base64_encode(pair);
  return value;
}

Proxy parse_proxy_url(std::string_view text, std::string_view variable) {
  const std::string name(variable);
  std::string full(util::trim(text));
  if (full.find("://") == std::string::npos) full.insert(0, "http://");

  auto parsed = boost::urls::parse_uri(full);
  if (!parsed) {
    throw usage_error(name +
                      " is not a usable proxy URL; expected http://[user:password@]host:port "
                      "(percent-encode any '@', ':' or '/' in the user name or password)");
  }
  const boost::urls::url_view& u = *parsed;
  const std::string scheme = util::to_lower(u.scheme());
  if (scheme == "https") {
    throw usage_error(name +
                      " names an https:// proxy; TLS to the proxy itself is not supported, use http://");
  }
  if (scheme.starts_with("socks"))
    throw usage_error(name + " names a SOCKS proxy; only http:// proxies are supported");
  if (scheme != "http") throw usage_error(name + " must be an http:// proxy URL, not " + scheme + "://");

  Proxy proxy;
  proxy.host = util::to_lower(u.host_address());
  if (proxy.host.empty()) throw usage_error(name + " has no proxy host");
  if (u.has_port()) {
    const auto port = parse_number(u.port(), 65535);
    if (!port || *port == 0) throw usage_error(name + " has an invalid proxy port");
    proxy.port = static_cast<std::uint16_t>(*port);
  }
  if (u.has_userinfo()) {
    proxy.username = u.user();
    proxy.password = u.password();
    util::register_secret(proxy.password);
    util::register_secret(proxy.username.value_or("") + ":" + proxy.password);
  }
  return proxy;
}

bool no_proxy_matches(std::string_view no_proxy, std::string_view host_in, std::uint16_t port) {
  std::string host = util::to_lower(strip_brackets(host_in));
  if (host.ends_with('.')) host.pop_back();
  const bool host_is_ip = parse_address(host).has_value();

  // As curl reads it: entries are separated by commas only. Blanks before an entry are
  // skipped; an entry ends at the first blank, and the rest up to the next comma is ignored.
  std::size_t start = 0;
  while (start < no_proxy.size()) {
    const auto comma = std::min(no_proxy.find(',', start), no_proxy.size());
    auto piece = no_proxy.substr(start, comma - start);
    start = comma + 1;
    const auto first = piece.find_first_not_of(" \t");
    if (first == std::string_view::npos) continue;
    piece.remove_prefix(first);
    const std::string entry = util::to_lower(piece.substr(0, piece.find_first_of(" \t")));
    if (entry_matches(entry, host, host_is_ip, port)) return true;
  }
  return false;
}

std::optional<Proxy> ProxyEnvironment::select(const Url& url) const {
  const auto& proxy = url.tls() ? https : http;
  if (!proxy) return std::nullopt;
  if (is_loopback_host(url.host) || is_link_local_host(url.host)) return std::nullopt;
  if (no_proxy_matches(no_proxy, url.host, url.port)) return std::nullopt;
  return proxy;
}

ProxyEnvironment read_proxy_environment(
    const std::function<std::optional<std::string>(const std::string&)>& getenv) {
  ProxyEnvironment env;
  std::string which;
  if (auto value = first_set(getenv, {"https_proxy", "HTTPS_PROXY", "all_proxy", "ALL_PROXY"}, &which)) {
    env.https = parse_proxy_url(*value, which);
    env.https_variable = which;
  }
  if (auto value = first_set(getenv, {"http_proxy", "HTTP_PROXY", "all_proxy", "ALL_PROXY"}, &which)) {
    env.http = parse_proxy_url(*value, which);
  }
  env.no_proxy = first_set(getenv, {"no_proxy", "NO_PROXY"}).value_or("");
  return env;
}

}  // namespace xtsync::http
