// lib/graph/batch.cpp: JSON batch bodies and answers.
#include <doctest/doctest.h>

#include <boost/json.hpp>

#include "error.hpp"
#include "graph/batch.hpp"

using namespace xtsync;
using namespace xtsync::graph;
namespace json = boost::json;

TEST_SUITE_BEGIN("graph");

TEST_CASE("graph::batch_request_body") {
  const std::vector<BatchItem> items = {
      {"1", "PUT", "/policies/x", json::object{{"displayName", "F"}}, {}},
      {"2", "DELETE", "/policies/y", std::nullopt, {"1"}},
  };
  const auto body = json::parse(batch_request_body(items));
  const auto& requests = body.at("requests").as_array();
  REQUIRE(requests.size() == 2);
  CHECK(requests[0].at("headers").at("Content-Type") == "application/json");
  CHECK(requests[0].at("body").at("displayName") == "F");
  CHECK_FALSE(requests[1].as_object().contains("headers"));
  CHECK(requests[1].at("dependsOn").as_array()[0] == "1");
}

TEST_CASE("graph::parse_batch_response takes answers in any order and refuses what does not fit") {
  const std::vector<BatchItem> sent = {{"1", "PUT", "/a", json::object{}, {}}, {"2", "PATCH", "/b", json::object{}, {}}};
  http::Response r;
  r.status = 200;
  r.body = R"({"responses":[{"id":"2","status":429,"headers":{"Retry-After":"3"},"body":{"error":{"code":"TooManyRequests","message":"m"}}},{"id":"1","status":204}]})";
  const auto results = parse_batch_response(r, sent, "test");
  REQUIRE(results.size() == 2);
  CHECK(results[0].id == "2");
  CHECK(outcome_of(results[0]).retry_after == std::optional<std::string>("3"));
  CHECK(results[1].ok());
  for (const char* bad : {R"({"responses":[{"id":"1","status":204}]})",                              // one missing
                          R"({"responses":[{"id":"1","status":204},{"id":"1","status":204}]})",      // twice
                          R"({"responses":[{"id":"1","status":204},{"id":"3","status":204}]})",      // not asked
                          R"({"responses":{}})", R"(<html>)", R"({"responses":[{"id":1,"status":204}]})"}) {
    CAPTURE(bad);
    r.body = bad;
    CHECK_THROWS_AS(parse_batch_response(r, sent, "test"), Error);
  }
}

TEST_SUITE_END();
