#include "graph/batch.hpp"

#include <boost/json.hpp>
#include <set>

#include "error.hpp"

namespace xtsync::graph {

namespace json = boost::json;

std::string batch_request_body(const std::vector<BatchItem>& items) {
  json::array requests;
  for (const auto& item : items) {
    json::object r{{"id", item.id}, {"method", item.method}, {"url", item.url}};
    if (item.body) {
      r["headers"] = json::object{{"Content-Type", "application/json"}};
      r["body"] = *item.body;
    }
    if (!item.depends_on.empty()) r["dependsOn"] = json::value_from(item.depends_on);
    requests.push_back(std::move(r));
  }
  return json::serialize(json::object{{"requests", std::move(requests)}});
}

std::vector<BatchItemResult> parse_batch_response(const http::Response& response, const std::vector<BatchItem>& sent,
                                                  const std::string& what) {
  const auto fail = [&](const std::string& why) {
    Error error(ErrorKind::failure, "cannot " + what + ": the batch answer " + why);
    error.http_status = response.status;
    error.request_id = response.header("request-id").value_or("");
    return error;
  };
  boost::system::error_code ec;
  const json::value jv = json::parse(response.body, ec);
  if (ec || !jv.is_object()) throw fail("is not a JSON object");
  const auto* responses = jv.get_object().if_contains("responses");
  if (!responses || !responses->is_array()) throw fail("has no 'responses' array");

  std::set<std::string> expected;
  for (const auto& item : sent) expected.insert(item.id);
  std::vector<BatchItemResult> results;
  for (const auto& r : responses->get_array()) {
    if (!r.is_object()) throw fail("holds an item that is not an object");
    const auto& o = r.get_object();
    const auto* id = o.if_contains("id");
    const auto* status = o.if_contains("status");
    if (!id || !id->is_string() || !status || !status->is_number()) throw fail("holds an item without id or status");
    BatchItemResult result;
    result.id = std::string(id->get_string());
    if (!expected.erase(result.id)) throw fail("answers an item '" + result.id + "' that was not asked for, or twice");
    result.status = status->to_number<int>();
    if (const auto* headers = o.if_contains("headers"); headers && headers->is_object()) {
      for (const auto& [name, value] : headers->get_object()) {
        if (value.is_string()) result.headers.push_back({std::string(name), std::string(value.get_string())});
      }
    }
    if (const auto* body = o.if_contains("body"); body && !body->is_null()) result.body = json::serialize(*body);
    results.push_back(std::move(result));
  }
  if (!expected.empty()) throw fail("leaves item '" + *expected.begin() + "' unanswered");
  return results;
}

http::Response as_response(const BatchItemResult& item) {
  http::Response r;
  r.status = item.status;
  r.headers = item.headers;
  r.body = item.body;
  return r;
}

http::AttemptOutcome outcome_of(const BatchItemResult& item) { return http::outcome_of(as_response(item)); }

}  // namespace xtsync::graph
