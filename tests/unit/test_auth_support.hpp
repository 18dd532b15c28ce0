// Shared by the test_auth_*.cpp files: an AuthContext wired to a FakeTransport, a fixed
// clock and a scripted environment.
#pragma once

#include <doctest/doctest.h>

#include <chrono>
#include <map>
#include <string>

#include "auth/credential.hpp"
#include "error.hpp"
#include "support/fake_transport.hpp"

namespace xtsync::auth_test {

inline const std::string kTenant = "9c5d131d-b1c3-4fc4-9e3f-c6557947d551";
inline const std::string kClientId = "535fb089-9ff3-47b6-9bfb-4f1264799865";
inline const std::string kTokenUrl = "https://login.microsoftonline.com/" + kTenant + "/oauth2/v2.0/token";
// 2026-01-01T00:00:00Z
inline const std::chrono::system_clock::time_point kNow{std::chrono::seconds(1767225600)};

struct AuthFixture {
  testing::FakeTransport transport;
  std::map<std::string, std::string> env;

  auth::AuthContext context() {
    auth::AuthContext ctx;
    ctx.cloud = auth::cloud_by_name("global");
    ctx.tenant = kTenant;
    ctx.client_id = kClientId;
    ctx.transport = &transport;
    ctx.getenv = [this](const std::string& name) -> std::optional<std::string> {
      const auto it = env.find(name);
      if (it == env.end()) return std::nullopt;
      return it->second;
    };
    ctx.now = [] { return kNow; };
    ctx.sleep = [](std::chrono::milliseconds) {};
    return ctx;
  }
};

inline std::string header_of(const http::Request& r, const char* name) {
  return http::find_header(r.headers, name).value_or("");
}

// The xtsync::Error that f throws; fails the test when it throws none.
template <class F>
Error error_of(F&& f) {
  try {
    f();
  } catch (const Error& e) {
    return e;
  }
  FAIL("no xtsync::Error thrown");
  return Error(ErrorKind::failure, "");
}

inline const char* kind_name(ErrorKind kind) {
  switch (kind) {
    case ErrorKind::usage: return "usage";
    case ErrorKind::auth: return "auth";
    case ErrorKind::network: return "network";
    default: return "other";
  }
}

}  // namespace xtsync::auth_test
