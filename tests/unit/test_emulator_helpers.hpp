// Shared fixtures for the emulator's unit tests: requests against the routing core, no sockets.
#pragma once

#include <doctest/doctest.h>

#include <boost/json/parse.hpp>
#include <boost/json/value.hpp>
#include <chrono>
#include <string>

#include "emulator/graph_service.hpp"
#include "emulator/state.hpp"
#include "http/message.hpp"

namespace emutest {

namespace emu = xtsync::emulator;
namespace json = boost::json;
using xtsync::http::Request;
using xtsync::http::Response;

inline constexpr const char* k_base = "http://127.0.0.1:8080";
inline constexpr const char* k_tenant = "90e29127-71ad-49c7-9ce8-db3f41ea06f1";
inline constexpr const char* k_other = "9c5d131d-b1c3-4fc4-9e3f-c6557947d551";
inline const std::string k_partners = "/beta/policies/crossTenantAccessPolicy/partners";
inline const std::string k_deleted = "/beta/policies/deletedItems/crossTenantSyncPolicyPartners";

inline std::string policy_path(const std::string& tenant, const std::string& version = "beta") {
  return "/" + version + "/policies/crossTenantAccessPolicy/partners/" + tenant + "/identitySynchronization";
}

// A request with the default token and, when there is a body, Content-Type: application/json.
inline Request make_request(std::string method, std::string target, std::string body = {},
                            std::string token = "emulator-token") {
  Request request;
  request.method = std::move(method);
  request.url = std::move(target);
  if (!token.empty()) request.headers.push_back({"Authorization", "Bearer " + token});
  if (!body.empty()) request.headers.push_back({"Content-Type", "application/json"});
  request.body = std::move(body);
  return request;
}

inline json::value body_of(const Response& response) {
  return json::parse(response.body);
}

// A JSON string as std::string, for comparing with computed strings.
inline std::string str(const json::value& value) {
  return std::string(value.as_string());
}

inline std::string error_code(const Response& response) {
  return std::string(body_of(response).at("error").at("code").as_string());
}

// The routing core over an in-memory state with a clock the test moves by hand.
struct GraphFixture {
  emu::State state;
  emu::Clock::time_point now = emu::Clock::from_time_t(1'750'288'261);  // 2025-06-18T23:11:01Z
  emu::Graph graph{state, options(), k_base};

  emu::GraphOptions options() {
    emu::GraphOptions o;
    o.read_only_tokens = {"reader-token"};
    o.clock = [this] { return now; };
    return o;
  }

  Response call(std::string method, std::string target, std::string body = {}) {
    return graph.handle(make_request(std::move(method), std::move(target), std::move(body)));
  }

  void add_partner(const std::string& tenant) {
    REQUIRE(call("POST", k_partners, R"({"tenantId":")" + tenant + R"("})").status == 201);
  }

  void add_policy(const std::string& tenant, const std::string& body = R"({"displayName":"Fabrikam"})") {
    if (!state.partner(tenant)) add_partner(tenant);
    REQUIRE(call("PUT", policy_path(tenant), body).status == 204);
  }
};

}  // namespace emutest
