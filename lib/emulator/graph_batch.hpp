// JSON batching as Graph documents it (POST /{version}/$batch): the request envelope's rules and
// the response envelope. Running the items is the Graph service's job; this file holds the format.
#pragma once

#include <boost/json/object.hpp>
#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "http/message.hpp"

namespace xtsync::emulator {

inline constexpr std::size_t k_batch_limit = 20;

struct BatchEntry {
  std::string id;
  std::string method;  // upper case
  std::string url;     // relative to the version, with a leading '/'
  http::Headers headers;
  std::string body;  // serialized JSON; empty without one
  std::vector<std::string> depends_on;
};

// Parses {"requests":[…]} and enforces live Graph's rules: 1 to 20 items, unique ids, a relative
// url, Content-Type and a body on every write that has one, dependencies only on earlier items,
// and either no dependencies at all or every item after the first depending on another.
// Throws GraphError(400) for a batch Graph would refuse as a whole.
std::vector<BatchEntry> parse_batch(std::string_view body);

struct BatchAnswer {
  std::string id;
  http::Response response;
};

// Graph answers the items in any order; the emulator's order is chosen so clients cannot rely
// on the order they sent.
enum class BatchOrder { sent, reversed };

// {"responses":[{"id","status","headers","body"}]}: each item's headers without the ones that
// belong to the outer HTTP response (Date, Content-Length, request-id, ...).
boost::json::object batch_response_body(const std::vector<BatchAnswer>& answers, BatchOrder order);

}  // namespace xtsync::emulator
