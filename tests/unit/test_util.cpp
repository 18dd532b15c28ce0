#include <doctest/doctest.h>

#include <set>

#include "error.hpp"
#include "http/url.hpp"
#include "util/guid.hpp"
#include "util/interrupt.hpp"

using namespace xtsync;

TEST_SUITE_BEGIN("util");

TEST_CASE("util::normalize_guid") {
  CHECK(util::normalize_guid("9C5D131D-B1C3-4FC4-9E3F-C6557947D551") == "9c5d131d-b1c3-4fc4-9e3f-c6557947d551");
  CHECK(util::normalize_guid("{9c5d131d-b1c3-4fc4-9e3f-c6557947d551}") == "9c5d131d-b1c3-4fc4-9e3f-c6557947d551");
  CHECK_FALSE(util::normalize_guid("contoso.onmicrosoft.com"));
  CHECK_FALSE(util::normalize_guid("9c5d131d-b1c3-4fc4-9e3f-c6557947d55"));
  CHECK_FALSE(util::normalize_guid("9c5d131db1c34fc49e3fc6557947d551"));
  CHECK_FALSE(util::normalize_guid("9c5d131d-b1c3-4fc4-9e3f-c6557947d55g"));
  CHECK_FALSE(util::normalize_guid("9c5d131d-b1c3-4fc4-9e3f-c6557947d551/../x"));
}

TEST_CASE("util::new_guid is a fresh version-4 GUID") {
  std::set<std::string> seen;
  for (int i = 0; i < 100; ++i) {
    const auto g = util::new_guid();
    CHECK(util::normalize_guid(g) == g);
    CHECK(g[14] == '4');
    seen.insert(g);
  }
  CHECK(seen.size() == 100);
}

TEST_CASE("http::parse_url") {
  auto u = http::parse_url("https://graph.microsoft.com/beta/x?$skiptoken=a%3D");
  CHECK(u.scheme == "https");
  CHECK(u.host == "graph.microsoft.com");
  CHECK(u.port == 443);
  CHECK(u.target == "/beta/x?$skiptoken=a%3D");
  CHECK(u.origin() == "https://graph.microsoft.com:443");
  u = http::parse_url("HTTP://127.0.0.1:8080");
  CHECK(u.scheme == "http");
  CHECK(u.port == 8080);
  CHECK(u.target == "/");
  CHECK(http::parse_url("http://[::1]:9/").host == "::1");
  CHECK_THROWS_AS(http::parse_url("ftp://example.com"), Error);
  CHECK_THROWS_AS(http::parse_url("graph.microsoft.com"), Error);
  CHECK_THROWS_AS(http::parse_url("https://user:pw@example.com/"), Error);
  CHECK_THROWS_AS(http::parse_url("http://127.0.0.1:99999/"), Error);
}

TEST_CASE("http::is_loopback_host") {
  CHECK(http::is_loopback_host("127.0.0.1"));
  CHECK(http::is_loopback_host("127.1.2.3"));
  CHECK(http::is_loopback_host("localhost"));
  CHECK(http::is_loopback_host("::1"));
  CHECK(http::is_loopback_host("[::1]"));
  CHECK_FALSE(http::is_loopback_host("128.0.0.1"));
  CHECK_FALSE(http::is_loopback_host("localhost.evil.com"));
  CHECK_FALSE(http::is_loopback_host("graph.microsoft.com"));
  CHECK_FALSE(http::is_loopback_host("10.0.0.1"));
}

TEST_CASE("exit codes follow the contract") {
  CHECK(exit_code(ErrorKind::failure) == 1);
  CHECK(exit_code(ErrorKind::usage) == 2);
  CHECK(exit_code(ErrorKind::not_found) == 3);
  CHECK(exit_code(ErrorKind::auth) == 4);
  CHECK(exit_code(ErrorKind::conflict) == 5);
  CHECK(exit_code(ErrorKind::throttled) == 6);
  CHECK(exit_code(ErrorKind::network) == 7);
  CHECK(exit_code(ErrorKind::interrupted) == 130);
}

TEST_SUITE_END();

TEST_CASE("util::interruptible_sleep stops once an interrupt is requested") {
  util::clear_interrupt();
  const auto start = std::chrono::steady_clock::now();
  util::interruptible_sleep(std::chrono::milliseconds(60));
  CHECK(std::chrono::steady_clock::now() - start >= std::chrono::milliseconds(60));
  util::request_interrupt();
  try {
    util::interruptible_sleep(std::chrono::hours(1));
    FAIL("no interrupt");
  } catch (const Error& e) {
    CHECK(e.kind() == ErrorKind::interrupted);
    CHECK(exit_code(e.kind()) == 130);
  }
  util::clear_interrupt();
  CHECK_FALSE(util::interrupt_requested());
}

#include "util/json_numbers.hpp"

TEST_CASE("util::inexact_number finds numbers Boost.JSON 1.81 would change") {
  using xtsync::util::inexact_number;
  CHECK_FALSE(inexact_number(R"({"a":1,"b":-2,"c":18446744073709551615,"d":1.5,"e":0.1,"f":123456789012345,"g":1e10})"));
  CHECK(inexact_number(R"({"a":123456789012345678901234567890})") == std::optional<std::string>("123456789012345678901234567890"));
  CHECK(inexact_number(R"([-0])") == std::optional<std::string>("-0"));
  CHECK(inexact_number(R"([-0.0])") == std::optional<std::string>("-0.0"));
  CHECK(inexact_number(R"([1e400])") == std::optional<std::string>("1e400"));
  CHECK(inexact_number(R"([3.14159265358979323846])"));
  CHECK_FALSE(inexact_number("not json"));
}

#include "util/json_text.hpp"

TEST_CASE("util::parse_json_text says where the text stops being JSON") {
  boost::json::value out;
  util::JsonSyntaxError error;
  CHECK(util::parse_json_text(R"({"a": [1, 2]})", out, error));
  CHECK(out.at("a").as_array().size() == 2);
  CHECK_FALSE(util::parse_json_text("{\n  \"a\": 1,\n  \"b\": tru\n}", out, error));
  CHECK(error.reason == "syntax error");
  CHECK(error.line == 3);
  CHECK(error.column == 8);
  // Columns count characters, not bytes.
  CHECK_FALSE(util::parse_json_text("{\"名前\": x}", out, error));
  CHECK(error.line == 1);
  CHECK(error.column == 8);
  CHECK_FALSE(util::parse_json_text("{\"a\": 1,\n", out, error));
  CHECK(error.line == 2);
  CHECK(error.column == 1);
}

TEST_CASE("util::json_key_lines lists keys with their paths and lines") {
  const auto keys = util::json_key_lines(
      "{\n \"a\": {\"b\": \"}\\\"{\", \"c\": [ {\"d\": 1} ]},\n \"e\\u0041\": null,\n \"a\": 2 }");
  REQUIRE(keys.size() == 6);
  CHECK(keys[0].path == std::vector<std::string>{"a"});
  CHECK(keys[0].line == 2);
  CHECK(keys[1].path == std::vector<std::string>{"a", "b"});
  CHECK(keys[2].path == std::vector<std::string>{"a", "c"});
  CHECK(keys[3].path == std::vector<std::string>{"a", "c", "d"});
  CHECK(keys[4].path == std::vector<std::string>{"eA"});
  CHECK(keys[4].line == 3);
  CHECK(keys[5].path == std::vector<std::string>{"a"});
  CHECK(keys[5].line == 4);
  CHECK(util::json_key_lines("[1, \"x\", {}]").empty());
}
