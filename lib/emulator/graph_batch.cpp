#include "emulator/graph_batch.hpp"

#include <fmt/format.h>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <algorithm>
#include <array>
#include <set>

#include "emulator/graph_response.hpp"
#include "util/strings.hpp"

namespace xtsync::emulator {

namespace json = boost::json;

namespace {

[[noreturn]] void refuse(const std::string& message) {
  throw GraphError(400, "BadRequest", message);
}

constexpr std::array<std::string_view, 5> k_methods = {"GET", "POST", "PUT", "PATCH", "DELETE"};

const json::string& string_member(const json::object& item, std::string_view name, std::string_view id) {
  const auto* value = item.if_contains(name);
  if (!value || !value->is_string() || value->get_string().empty()) {
    refuse(id.empty() ? fmt::format("Invalid batch payload: every request needs a string '{}'.", name)
                      : fmt::format("Invalid batch payload: request id {} has no string '{}'.", id, name));
  }
  return value->get_string();
}

BatchEntry parse_entry(const json::value& value) {
  if (!value.is_object()) refuse("Invalid batch payload: each request must be a JSON object.");
  const auto& item = value.get_object();
  BatchEntry entry;
  entry.id = std::string(string_member(item, "id", {}));
  entry.method = util::to_upper(std::string(string_member(item, "method", entry.id)));
  if (std::find(k_methods.begin(), k_methods.end(), entry.method) == k_methods.end()) {
    refuse(fmt::format("Invalid method '{}' for request id {}.", entry.method, entry.id));
  }
  entry.url = std::string(string_member(item, "url", entry.id));
  if (entry.url.find("://") != std::string::npos) {
    refuse(fmt::format("Invalid request URL for request id {}: it must be relative to the API version.", entry.id));
  }
  if (entry.url.front() != '/') entry.url.insert(0, 1, '/');

  if (const auto* headers = item.if_contains("headers"); headers && !headers->is_null()) {
    if (!headers->is_object()) refuse(fmt::format("Invalid headers for request id {}.", entry.id));
    for (const auto& [name, header] : headers->get_object()) {
      if (!header.is_string()) refuse(fmt::format("Invalid header '{}' for request id {}.", name, entry.id));
      entry.headers.push_back({std::string(name), std::string(header.get_string())});
    }
  }
  if (const auto* body = item.if_contains("body"); body && !body->is_null()) {
    entry.body = json::serialize(*body);
  }
  const bool write = entry.method == "POST" || entry.method == "PUT" || entry.method == "PATCH";
  if (write && (entry.body.empty() || !http::find_header(entry.headers, "Content-Type"))) {
    refuse(fmt::format("Write request id : {} does not contain Content-Type header or body.", entry.id));
  }
  if (const auto* depends = item.if_contains("dependsOn"); depends && !depends->is_null()) {
    if (!depends->is_array()) refuse(fmt::format("Invalid dependsOn for request id {}.", entry.id));
    for (const auto& dependency : depends->get_array()) {
      if (!dependency.is_string()) refuse(fmt::format("Invalid dependsOn for request id {}.", entry.id));
      entry.depends_on.emplace_back(dependency.get_string());
    }
  }
  return entry;
}

// Headers of the outer response, not of an item.
bool is_envelope_header(std::string_view name) {
  for (std::string_view envelope :
       {"Date", "Content-Length", "request-id", "client-request-id", "x-ms-ags-diagnostic", "Connection"}) {
    if (util::iequals(name, envelope)) return true;
  }
  return false;
}

}  // namespace

std::vector<BatchEntry> parse_batch(std::string_view body) {
  json::error_code ec;
  const json::value document = json::parse(body, ec);
  if (ec || !document.is_object()) refuse("Invalid batch payload format: the body must be a JSON object.");
  const auto* requests = document.get_object().if_contains("requests");
  if (!requests || !requests->is_array()) refuse("Invalid batch payload format: 'requests' must be an array.");
  const auto& array = requests->get_array();
  if (array.empty()) refuse("Invalid batch payload: 'requests' is empty.");
  if (array.size() > k_batch_limit) {
    refuse(fmt::format("The number of batch requests exceeds the limit of {}.", k_batch_limit));
  }

  std::vector<BatchEntry> entries;
  std::set<std::string> seen;
  for (const auto& value : array) {
    BatchEntry entry = parse_entry(value);
    if (seen.count(entry.id)) refuse(fmt::format("Request id {} is not unique within the batch.", entry.id));
    // A dependency must be a request that comes earlier in the array.
    for (const auto& dependency : entry.depends_on) {
      if (!seen.count(dependency)) refuse(fmt::format("Invalid dependency for request Id: {}", entry.id));
    }
    seen.insert(entry.id);
    entries.push_back(std::move(entry));
  }
  const bool any_dependency =
      std::any_of(entries.begin(), entries.end(), [](const BatchEntry& e) { return !e.depends_on.empty(); });
  if (any_dependency) {
    const bool sequential = std::all_of(entries.begin() + 1, entries.end(),
                                        [](const BatchEntry& e) { return !e.depends_on.empty(); });
    if (!sequential) refuse("Batch should be either fully sequential or fully parallel");
  }
  return entries;
}

json::object batch_response_body(const std::vector<BatchAnswer>& answers, BatchOrder order) {
  json::array responses;
  const auto add = [&](const BatchAnswer& answer) {
    json::object headers;
    for (const auto& header : answer.response.headers) {
      if (!is_envelope_header(header.name)) headers[header.name] = header.value;
    }
    json::object item{{"id", answer.id}, {"status", answer.response.status}, {"headers", std::move(headers)}};
    if (!answer.response.body.empty()) {
      json::error_code ec;
      json::value body = json::parse(answer.response.body, ec);
      // A scripted non-JSON body travels as a string, as Graph sends non-JSON content.
      item["body"] = ec ? json::value(answer.response.body) : std::move(body);
    }
    responses.push_back(std::move(item));
  };
  if (order == BatchOrder::reversed) {
    std::for_each(answers.rbegin(), answers.rend(), add);
  } else {
    std::for_each(answers.begin(), answers.end(), add);
  }
  return json::object{{"responses", std::move(responses)}};
}

}  // namespace xtsync::emulator
