#include <doctest/doctest.h>

#include "auth/jwt.hpp"
#include "util/base64.hpp"

using namespace xtsync::auth;
using namespace xtsync::util;

TEST_SUITE_BEGIN("auth");

TEST_CASE("base64url encodes without padding and decodes with or without it") {
  CHECK(base64url_encode("") == "");
  CHECK(base64url_encode("f") == "Zg");
  CHECK(base64url_encode("fo") == "Zm8");
  CHECK(base64url_encode("foo") == "Zm9v");
  CHECK(base64url_encode("\xfb\xff\xfe") == "-__-");
  CHECK(base64_encode("\xfb\xff\xfe") == "+//+");
  CHECK(base64_encode("fo") == "Zm8=");
  CHECK(base64_encode("f") == "Zg==");

  CHECK(base64url_decode("Zm8") == std::optional<std::string>("fo"));
  CHECK(base64url_decode("Zm8=") == std::optional<std::string>("fo"));
  CHECK(base64url_decode("Zg==") == std::optional<std::string>("f"));
  CHECK(base64url_decode("-__-") == std::optional<std::string>("\xfb\xff\xfe"));
  CHECK_FALSE(base64url_decode("Zm8*"));
  CHECK_FALSE(base64url_decode("+//+"));  // the standard alphabet is not base64url
  CHECK_FALSE(base64url_decode("Z"));

  std::string all;
  for (int i = 0; i < 256; ++i) all += static_cast<char>(i);
  for (std::size_t n = 0; n < 8; ++n)
    CHECK(base64url_decode(base64url_encode(all.substr(n))) == all.substr(n));
}

TEST_CASE("decode_claims reads a JWT's payload without verifying it") {
  const std::string jwt = base64url_encode(R"({"alg":"none"})") + "." +
                          base64url_encode(R"({"tid":"t-1","exp":1767229200,"upn":"admin@contoso.com"})") +
                          ".sig";
  const auto claims = decode_claims(jwt);
  REQUIRE(claims);
  CHECK(claims->at("tid").as_string() == "t-1");
  CHECK(claims->at("exp").as_int64() == 1767229200);

  CHECK_FALSE(decode_claims("not a jwt"));
  CHECK_FALSE(decode_claims("a.b"));
  CHECK_FALSE(decode_claims("a.b.c.d"));
  CHECK_FALSE(decode_claims("e30." + base64url_encode("[1]") + ".x"));  // payload not an object
  CHECK_FALSE(decode_claims("e30.!!!.x"));
}

TEST_CASE("redact_jwts hides anything that looks like a token") {
  CHECK(redact_jwts("token eyJ0eXAi.eyJhdWQi.c2ln-_ end") == "token [redacted] end");
  CHECK(redact_jwts("no token here") == "no token here");
  CHECK(redact_jwts("\"eyJabc\"") == "\"[redacted]\"");
}

TEST_SUITE_END();
