// lib/http/proxy.cpp: proxy URLs, NO_PROXY matching (curl's rules), the environment variables,
// and how the CLI hands them to the transport.
#include <doctest/doctest.h>

#include <map>
#include <sstream>

#include "context.hpp"
#include "error.hpp"
#include "http/proxy.hpp"
#include "http/url.hpp"

namespace {

using xtsync::Error;
using xtsync::ErrorKind;
using xtsync::http::no_proxy_matches;
using xtsync::http::parse_proxy_url;
using xtsync::http::parse_url;
using xtsync::http::Proxy;
using xtsync::http::read_proxy_environment;

std::string usage_failure(std::string_view text, std::string_view variable = "HTTPS_PROXY") {
  try {
    parse_proxy_url(text, variable);
  } catch (const Error& e) {
    CHECK(e.kind() == ErrorKind::usage);
    return e.what();
  }
  FAIL("expected a usage error for a proxy URL");
  return {};
}

auto env_of(std::map<std::string, std::string> vars) {
  return [vars = std::move(vars)](const std::string& name) -> std::optional<std::string> {
    auto it = vars.find(name);
    return it == vars.end() ? std::nullopt : std::optional<std::string>(it->second);
  };
}

}  // namespace

TEST_SUITE_BEGIN("http");

TEST_CASE("http::parse_proxy_url reads host, port and credentials") {
  auto p = parse_proxy_url("http://proxy.corp:3128", "HTTPS_PROXY");
  CHECK(p.host == "proxy.corp");
  CHECK(p.port == 3128);
  CHECK_FALSE(p.has_credentials());
  CHECK(p.authorization().empty());
  CHECK(p.authority() == "proxy.corp:3128");

  // No scheme means http://; no port means 80; case and a trailing slash do not matter.
  p = parse_proxy_url("  Proxy.CORP:8080  ", "https_proxy");
  CHECK(p.host == "proxy.corp");
  CHECK(p.port == 8080);
  p = parse_proxy_url("HTTP://proxy.corp/", "HTTPS_PROXY");
  CHECK(p.port == 80);

  // Percent-encoded credentials are decoded.
  p = parse_proxy_url("http://us%20er:p%40ss%3Aw@proxy:3128", "HTTPS_PROXY");
  REQUIRE(p.has_credentials());
  CHECK(*p.username == "us er");
  CHECK(p.password == "p@ss:w");
  CHECK(p.authority() == "proxy:3128");  // never the credentials
  CHECK(p.authorization() == "Basic dXMgZXI6cEBzczp3");

  p = parse_proxy_url("http://user@proxy:1", "HTTPS_PROXY");
  REQUIRE(p.has_credentials());
  CHECK(*p.username == "user");
  CHECK(p.password.empty());

  p = parse_proxy_url("http://[fd00::1]:3128", "HTTPS_PROXY");
  CHECK(p.host == "fd00::1");
  CHECK(p.authority() == "[fd00::1]:3128");
}

TEST_CASE("http::Proxy builds the Basic Proxy-Authorization value of RFC 7617") {
  Proxy p;
  p.username = "Aladdin";
  p.password = "open sesame";
  CHECK(p.authorization() == "Basic QWxhZGRpbjpvcGVuIHNlc2FtZQ==");
}

TEST_CASE("http::parse_proxy_url refuses what it cannot use, without quoting credentials") {
  CHECK(usage_failure("https://proxy:443").find("TLS to the proxy itself is not supported") !=
        std::string::npos);
  CHECK(usage_failure("socks5://proxy:1080").find("SOCKS") != std::string::npos);
  CHECK(usage_failure("ftp://proxy:21").find("http://") != std::string::npos);
  CHECK(usage_failure("http://proxy:0").find("invalid proxy port") != std::string::npos);
  CHECK(usage_failure("http://proxy:99999", "ALL_PROXY").find("ALL_PROXY") != std::string::npos);

  for (const char* bad : {"http://user:s3cret-canary@", "http://user:s3cret canary@proxy:1",
                          "http://us er:s3cret-canary@proxy:1", "http://user:s3cret-canary@proxy:port"}) {
    CAPTURE(bad);
    const auto message = usage_failure(bad);
    CHECK(message.find("HTTPS_PROXY") != std::string::npos);
    CHECK(message.find("s3cret") == std::string::npos);
  }
}

TEST_CASE("http::no_proxy_matches follows curl's NO_PROXY rules") {
  struct Case {
    const char* no_proxy;
    const char* host;
    std::uint16_t port;
    bool excluded;
  };
  const Case cases[] = {
      {"", "graph.microsoft.com", 443, false},
      {"*", "graph.microsoft.com", 443, true},
      {"foo.test,*", "graph.microsoft.com", 443, true},
      // exact host and domain suffix, with or without the leading dot
      {"example.com", "example.com", 443, true},
      {"example.com", "a.example.com", 443, true},
      {".example.com", "example.com", 443, true},
      {".example.com", "a.b.example.com", 443, true},
      {"*.example.com", "a.example.com", 443, true},
      {"example.com", "badexample.com", 443, false},
      {"example.com", "example.com.evil.test", 443, false},
      {"a.example.com", "example.com", 443, false},
      // case, spaces, empty entries, a trailing dot
      {"EXAMPLE.com", "a.Example.COM", 443, true},
      {" foo.test , example.com ,", "example.com", 443, true},
      // curl separates by commas only: a blank ends an entry and the rest up to the comma is
      // ignored, so this list names foo.test alone (before: spaces split entries too).
      {"foo.test example.com", "example.com", 443, false},
      {"foo.test example.com", "foo.test", 443, true},
      {"localhost .example.com", "a.example.com", 443, false},
      {"\tlocalhost,\t.example.com", "a.example.com", 443, true},
      {",,", "example.com", 443, false},
      {"example.com.", "example.com", 443, true},
      {"example.com", "example.com.", 443, true},
      // a port limits the entry to that port
      {"example.com:443", "example.com", 443, true},
      {"example.com:443", "example.com", 8443, false},
      {".example.com:8443", "a.example.com", 8443, true},
      {"example.com:", "example.com", 443, false},
      {"example.com:x", "example.com", 443, false},
      // IP addresses as text: whole, never as a suffix
      {"192.168.1.10", "192.168.1.10", 443, true},
      {"168.1.10", "192.168.1.10", 443, false},
      {"192.168.1.1", "192.168.1.10", 443, false},
      {"192.168.1.10:8443", "192.168.1.10", 443, false},
      {"fd00::1", "fd00::1", 443, true},
      {"[fd00::1]", "fd00::1", 443, true},
      {"[fd00::1]:443", "[fd00::1]", 443, true},
      {"[fd00::1]:443", "fd00::1", 80, false},
      // CIDR
      {"10.0.0.0/8", "10.1.2.3", 443, true},
      {"10.0.0.0/8", "11.0.0.1", 443, false},
      {"192.168.0.0/16", "192.168.255.1", 443, true},
      {"192.168.0.0/17", "192.168.128.1", 443, false},
      {"0.0.0.0/0", "203.0.113.9", 443, true},
      {"fd00::/8", "fd12::1", 443, true},
      {"fd00::/8", "fe80::1", 443, false},
      {"10.0.0.0/8", "ten.example", 443, false},
      {"10.0.0.0/33", "10.0.0.1", 443, false},
      // the Microsoft hosts xtsync talks to
      {".microsoft.com", "graph.microsoft.com", 443, true},
      {".microsoft.com", "login.microsoftonline.com", 443, false},
  };
  for (const auto& c : cases) {
    CAPTURE(c.no_proxy);
    CAPTURE(c.host);
    CAPTURE(c.port);
    CHECK(no_proxy_matches(c.no_proxy, c.host, c.port) == c.excluded);
  }
}

TEST_CASE("http::read_proxy_environment reads lower-case variables first, as curl does") {
  auto env = read_proxy_environment(env_of({}));
  CHECK_FALSE(env.https);
  CHECK_FALSE(env.http);
  CHECK_FALSE(env.select(parse_url("https://graph.microsoft.com/")));

  env = read_proxy_environment(env_of({{"HTTPS_PROXY", "http://upper:3128"}}));
  REQUIRE(env.https);
  CHECK(env.https->host == "upper");
  CHECK(env.https_variable == "HTTPS_PROXY");
  CHECK_FALSE(env.http);

  env = read_proxy_environment(env_of(
      {{"HTTPS_PROXY", "http://upper:3128"}, {"https_proxy", "http://lower:3128"}, {"ALL_PROXY", "all:1"}}));
  CHECK(env.https->host == "lower");
  CHECK(env.https_variable == "https_proxy");
  REQUIRE(env.http);  // ALL_PROXY is the fallback
  CHECK(env.http->host == "all");

  // Empty means unset.
  env = read_proxy_environment(env_of({{"https_proxy", ""}, {"HTTPS_PROXY", "http://upper:3128"}}));
  CHECK(env.https->host == "upper");

  env = read_proxy_environment(
      env_of({{"HTTPS_PROXY", "p:1"}, {"no_proxy", "lower.test"}, {"NO_PROXY", "upper.test"}}));
  CHECK(env.no_proxy == "lower.test");
  env = read_proxy_environment(env_of({{"HTTPS_PROXY", "p:1"}, {"NO_PROXY", "upper.test"}}));
  CHECK(env.no_proxy == "upper.test");

  CHECK_THROWS_AS(read_proxy_environment(env_of({{"https_proxy", "https://p:443"}})), Error);
}

TEST_CASE("http::ProxyEnvironment::select applies NO_PROXY and never proxies loopback or link-local") {
  const auto env = read_proxy_environment(env_of({{"HTTPS_PROXY", "http://u:p@proxy.corp:3128"},
                                                  {"HTTP_PROXY", "http://proxy.corp:3128"},
                                                  {"NO_PROXY", ".microsoft.com, 10.0.0.0/8"}}));
  auto chosen = env.select(parse_url("https://login.microsoftonline.com/common/oauth2/v2.0/token"));
  REQUIRE(chosen);
  CHECK(chosen->authority() == "proxy.corp:3128");
  CHECK(chosen->has_credentials());

  CHECK_FALSE(env.select(parse_url("https://graph.microsoft.com/v1.0/")));
  CHECK_FALSE(env.select(parse_url("https://10.2.3.4/")));
  // Loopback is only ever the emulator; 169.254.169.254 is the machine's own metadata service.
  CHECK_FALSE(env.select(parse_url("https://127.0.0.1:8443/")));
  CHECK_FALSE(env.select(parse_url("https://localhost:8443/")));
  CHECK_FALSE(env.select(parse_url("https://[::1]:8443/")));
  CHECK_FALSE(env.select(parse_url("http://127.0.0.2:8080/")));
  CHECK_FALSE(env.select(parse_url("http://169.254.169.254/metadata/identity/oauth2/token")));
}

TEST_CASE("cli hands the transport the proxy from the environment") {
  std::map<std::string, std::string> vars{{"XTSYNC_ACCESS_TOKEN", "tok-cli"},
                                          {"HTTPS_PROXY", "http://user:s3cret-canary@proxy.corp:3128"},
                                          {"NO_PROXY", "graph.microsoft.us"}};
  std::vector<xtsync::http::TransportOptions> seen;
  auto run = [&](std::vector<const char*> argv) {
    std::ostringstream out, err;
    std::istringstream in;
    xtsync::cli::Context ctx{
        .out = out,
        .err = err,
        .in = in,
        .getenv = env_of(vars),
        .stdin_is_terminal = [] { return false; },
        .stderr_is_terminal = [] { return false; },
        .make_transport =
            [&](const xtsync::http::TransportOptions& options) -> std::unique_ptr<xtsync::http::Transport> {
          seen.push_back(options);
          throw Error(ErrorKind::network, "stop here");
        },
        .sleep = [](std::chrono::milliseconds) {},
    };
    const int code = xtsync::cli::run(static_cast<int>(argv.size()), argv.data(), ctx);
    return std::make_pair(code, err.str());
  };

  auto [code, err] = run({"xtsync", "get", "9c5d131d-b1c3-4fc4-9e3f-c6557947d551"});
  CHECK(err.find("stop here") != std::string::npos);
  CHECK(err.find("s3cret") == std::string::npos);
  REQUIRE_FALSE(seen.empty());
  REQUIRE(seen[0].proxy);
  const auto chosen = seen[0].proxy(parse_url("https://graph.microsoft.com/v1.0/policies"));
  REQUIRE(chosen);
  CHECK(chosen->authority() == "proxy.corp:3128");
  CHECK(chosen->password == "s3cret-canary");
  CHECK_FALSE(seen[0].proxy(parse_url("https://graph.microsoft.us/v1.0/")));
  CHECK_FALSE(seen[0].proxy(parse_url("https://127.0.0.1:9443/v1.0/")));

  // No proxy variables: no proxy function at all.
  vars.erase("HTTPS_PROXY");
  seen.clear();
  run({"xtsync", "get", "9c5d131d-b1c3-4fc4-9e3f-c6557947d551"});
  REQUIRE_FALSE(seen.empty());
  CHECK_FALSE(seen[0].proxy);

  // An https:// proxy is a usage error that never reaches the network.
  vars["HTTPS_PROXY"] = "https://user:s3cret-canary@proxy.corp:443";
  seen.clear();
  std::tie(code, err) = run({"xtsync", "get", "9c5d131d-b1c3-4fc4-9e3f-c6557947d551"});
  CHECK(err.find("TLS to the proxy itself is not supported") != std::string::npos);
  CHECK(err.find("s3cret") == std::string::npos);
  CHECK(seen.empty());
}

TEST_SUITE_END();
