// JSON batching (POST /{version}/$batch): up to 20 requests in one round trip, each answered on
// its own. The item answers feed the same retry decision as whole responses do.
#pragma once

#include <boost/json/value.hpp>
#include <optional>
#include <string>
#include <vector>

#include "http/message.hpp"
#include "http/retry.hpp"

namespace xtsync::graph {

inline constexpr std::size_t k_max_batch_items = 20;

struct BatchItem {
  std::string id;      // unique within the batch
  std::string method;  // GET, PUT, PATCH, DELETE, POST
  std::string url;     // relative to the version: /policies/…
  std::optional<boost::json::value> body;
  std::vector<std::string> depends_on;
};

struct BatchItemResult {
  std::string id;
  int status = 0;
  http::Headers headers;  // the item's own (Retry-After for a throttled item)
  std::string body;       // serialized JSON, or empty

  bool ok() const { return status >= 200 && status < 300; }
};

// {"requests":[…]}, with Content-Type on every item that has a body.
std::string batch_request_body(const std::vector<BatchItem>& items);

// The item answers of a 200 batch response, in any order Graph chose. Throws Error(failure)
// naming `what` for a body that is not {"responses":[…]} with an id and status per item, an id
// that was not asked for, or an item answered twice or not at all.
std::vector<BatchItemResult> parse_batch_response(const http::Response& response, const std::vector<BatchItem>& sent,
                                                  const std::string& what);

// What the retry decision needs from one item's answer.
http::AttemptOutcome outcome_of(const BatchItemResult& item);

// One item's answer as an HTTP response, for error_from_response and friends.
http::Response as_response(const BatchItemResult& item);

}  // namespace xtsync::graph
