// Shared fixtures for the emulated identity platform's unit tests: form requests against the
// emulator core with a clock the test moves by hand.
#pragma once

#include <doctest/doctest.h>

#include <fmt/format.h>
#include <memory>
#include <string>

#include "emulator/emulator.hpp"
#include "emulator/identity_jwt.hpp"
#include "test_emulator_helpers.hpp"

namespace emutest {

inline constexpr const char* k_client = "11111111-2222-3333-4444-555555555555";
inline constexpr const char* k_graph_default = "https://graph.microsoft.com/.default";
inline const std::string k_token_path = fmt::format("/{}/oauth2/v2.0/token", k_tenant);
inline const std::string k_device_path = fmt::format("/{}/oauth2/v2.0/devicecode", k_tenant);

struct IdentityFixture {
  emu::Clock::time_point now = emu::Clock::from_time_t(1'750'288'261);
  std::unique_ptr<emu::Emulator> emulator;

  explicit IdentityFixture(emu::IdentityOptions identity) {
    emu::EmulatorOptions options;
    options.graph.clock = [this] { return now; };
    options.identity = std::move(identity);
    emulator = std::make_unique<emu::Emulator>(std::move(options), k_base);
  }

  Response post_form(const std::string& target, std::string body) {
    Request request;
    request.method = "POST";
    request.url = target;
    request.headers.push_back({"Content-Type", "application/x-www-form-urlencoded"});
    request.body = std::move(body);
    return emulator->handle(request);
  }

  Response token(std::string body) { return post_form(k_token_path, std::move(body)); }

  Response get(const std::string& target, xtsync::http::Headers headers = {}) {
    Request request;
    request.method = "GET";
    request.url = target;
    request.headers = std::move(headers);
    return emulator->handle(request);
  }

  // A Graph request with this bearer token.
  Response graph(std::string method, const std::string& target, const std::string& token, std::string body = {}) {
    return emulator->handle(make_request(std::move(method), target, std::move(body), token));
  }

  json::object counters() { return body_of(get("/_emulator/identity")).as_object(); }
};

inline std::string oauth_error(const Response& response) {
  return str(body_of(response).at("error"));
}

inline long long aadsts(const Response& response) {
  return body_of(response).at("error_codes").as_array().at(0).as_int64();
}

// The payload of a JWT the emulator issued.
inline json::object claims_of(const std::string& jwt) {
  const auto parsed = emu::parse_jwt(jwt);
  REQUIRE(parsed);
  return parsed->payload;
}

}  // namespace emutest
