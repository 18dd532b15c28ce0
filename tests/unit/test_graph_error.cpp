#include <doctest/doctest.h>

#include "graph/graph_error.hpp"

using namespace xtsync;
using namespace xtsync::graph;

TEST_SUITE_BEGIN("graph");

TEST_CASE("graph::parse_error_body") {
  SUBCASE("Graph's documented shape with innerError") {
    const auto e = parse_error_body(R"({"error":{"code":"Request_MultipleObjectsWithSameKeyValue",
      "message":"A conflicting object with one or more of the specified property values is present in the directory.",
      "details":[{"code":"ConflictingObjects","message":"x"}],
      "innerError":{"date":"2025-06-18T23:11:01","request-id":"9134f521-4aee-43ae-b106-fc20f900e293",
                    "client-request-id":"11111111-2222-3333-4444-555555555555"}}})");
    CHECK(e.code == "Request_MultipleObjectsWithSameKeyValue");
    CHECK(e.message.starts_with("A conflicting object"));
    CHECK(e.request_id == "9134f521-4aee-43ae-b106-fc20f900e293");
    CHECK(e.client_request_id == "11111111-2222-3333-4444-555555555555");
    CHECK(e.date == "2025-06-18T23:11:01");
  }
  SUBCASE("innererror in lower case, nested, with a more specific code") {
    const auto e = parse_error_body(R"({"error":{"code":"BadRequest","message":"m",
      "innererror":{"code":"outer","request-id":"r1","innererror":{"code":"Deepest"}}}})");
    CHECK(e.code == "BadRequest");
    CHECK(e.inner_code == "Deepest");
    CHECK(e.request_id == "r1");
  }
  SUBCASE("missing fields, wrong types and non-JSON bodies give empty fields") {
    CHECK(parse_error_body(R"({"error":{}})").code.empty());
    CHECK(parse_error_body(R"({"error":"boom"})").code.empty());
    CHECK(parse_error_body(R"({"error":{"code":42,"message":null}})").code.empty());
    CHECK(parse_error_body("<html><body>Bad gateway</body></html>").message.empty());
    CHECK(parse_error_body("").code.empty());
  }
}

TEST_CASE("graph::error_from_response") {
  http::Response r;
  r.status = 404;
  r.reason = "Not Found";
  r.headers = {{"request-id", "hdr-request-id"}, {"client-request-id", "crid"}};
  r.body = R"({"error":{"code":"Request_ResourceNotFound","message":"Resource not found."}})";
  const Error e = error_from_response(r, "read the sync policy of partner x");
  CHECK(e.kind() == ErrorKind::not_found);
  CHECK(exit_code(e.kind()) == 3);
  CHECK(std::string(e.what()) == "cannot read the sync policy of partner x: HTTP 404: Resource not found.");
  CHECK(e.graph_code == "Request_ResourceNotFound");
  CHECK(e.request_id == "hdr-request-id");
  CHECK(e.client_request_id == "crid");
  CHECK(e.http_status == 404);

  SUBCASE("kinds follow the status") {
    CHECK(kind_for_status(401) == ErrorKind::auth);
    CHECK(kind_for_status(403) == ErrorKind::auth);
    CHECK(kind_for_status(409) == ErrorKind::conflict);
    CHECK(kind_for_status(429) == ErrorKind::throttled);
    CHECK(kind_for_status(503) == ErrorKind::throttled);
    CHECK(kind_for_status(504) == ErrorKind::throttled);
    CHECK(kind_for_status(400) == ErrorKind::failure);
    CHECK(kind_for_status(500) == ErrorKind::failure);
  }
  SUBCASE("403 carries the permission hint") {
    r.status = 403;
    r.body = R"({"error":{"code":"Authorization_RequestDenied","message":"Insufficient privileges to complete the operation."}})";
    const Error denied = error_from_response(r, "update");
    CHECK(denied.kind() == ErrorKind::auth);
    CHECK(denied.hint.find("Policy.ReadWrite.CrossTenantAccess") != std::string::npos);
    CHECK(denied.hint.find("Security Administrator") != std::string::npos);
    CHECK(denied.hint.find("Security Reader") != std::string::npos);
    CHECK(denied.hint.find("Global Reader") != std::string::npos);
  }
  SUBCASE("a non-JSON body is quoted briefly on one line") {
    r.status = 502;
    r.body = "<html>\n<body>Bad gateway</body></html>";
    const Error bad = error_from_response(r, "list", "gave up after 5 attempts");
    CHECK(std::string(bad.what()) ==
          "cannot list: HTTP 502: unexpected response: <html> <body>Bad gateway</body></html> (gave up after 5 attempts)");
    CHECK(bad.graph_code.empty());
  }
}

TEST_SUITE_END();
