#include "graph/client.hpp"

#include <fmt/format.h>
#include <boost/json.hpp>
#include <set>

#include "graph/graph_error.hpp"

namespace xtsync::graph {

namespace json = boost::json;

namespace {

constexpr std::string_view k_partners = "/policies/crossTenantAccessPolicy/partners";
constexpr std::string_view k_deleted = "/policies/deletedItems/crossTenantSyncPolicyPartners";

bool is_success(int status) {
  return status >= 200 && status < 300;
}

// Parses a response body that must be a JSON object; anything else is an unexpected answer.
json::value parse_body(const http::Response& response, std::string_view what) {
  boost::system::error_code ec;
  json::value jv = json::parse(response.body, ec);
  if (ec || !jv.is_object()) {
    Error error(ErrorKind::failure,
                fmt::format("cannot {}: Graph answered HTTP {} with a body that is not a JSON object", what,
                            response.status));
    error.http_status = response.status;
    error.request_id = response.header("request-id").value_or("");
    throw error;
  }
  return jv;
}

Policy parse_policy(const http::Response& response, std::string_view what) {
  try {
    return json::value_to<Policy>(parse_body(response, what));
  } catch (const std::invalid_argument& e) {
    throw Error(ErrorKind::failure,
                fmt::format("cannot {}: unexpected response from Graph: {}", what, e.what()));
  }
}

http::RetryPolicy retry_policy(const ClientOptions& options) {
  return {options.max_retries, options.max_wait, options.retry_budget};
}

}  // namespace

Client::Client(http::Transport& transport, http::TokenSource& tokens, ClientOptions options)
    : tokens_(tokens),
      options_(std::move(options)),
      sender_(transport, retry_policy(options_), options_.sleep,
              options_.shared_budget ? options_.shared_budget
                                     : std::make_shared<http::RetryBudget>(options_.retry_budget)) {
  while (!options_.graph_root.empty() && options_.graph_root.back() == '/') options_.graph_root.pop_back();
  root_ = http::parse_url(options_.graph_root);
  http::require_tls_unless_loopback(root_, "'" + options_.graph_root + "'");
}

std::string Client::versioned(std::string_view path) const {
  std::string url = options_.graph_root;
  url += '/';
  url += path_segment(options_.api_version);
  url += path;
  return url;
}

std::string Client::policy_url(const std::string& tenant) const {
  return versioned(fmt::format("{}/{}/identitySynchronization", k_partners, tenant));
}

std::string Client::partners_url() const {
  return versioned(k_partners);
}

http::Exchange Client::execute(const std::string& method, const std::string& url, const std::string& body,
                               const std::string& what, http::Idempotency idempotency) {
  return sender_.send({method, url, {}, body}, {what, idempotency, &tokens_});
}

std::optional<Policy> Client::find_policy(const std::string& tenant) {
  const std::string what = "read the sync policy of partner " + tenant;
  const auto exchange = execute("GET", policy_url(tenant), {}, what);
  const auto& response = exchange.response;
  if (response.status == 404) return std::nullopt;
  if (!is_success(response.status)) throw error_from_response(response, what, exchange.gave_up);
  return parse_policy(response, what);
}

Policy Client::get_policy(const std::string& tenant) {
  const std::string what = "read the sync policy of partner " + tenant;
  const auto exchange = execute("GET", policy_url(tenant), {}, what);
  if (!is_success(exchange.response.status))
    throw error_from_response(exchange.response, what, exchange.gave_up);
  return parse_policy(exchange.response, what);
}

void Client::create_policy(const std::string& tenant, const Policy& policy) {
  const std::string what = "create the sync policy of partner " + tenant;
  const auto exchange = execute("PUT", policy_url(tenant), json::serialize(json::value_from(policy)), what);
  if (!is_success(exchange.response.status))
    throw error_from_response(exchange.response, what, exchange.gave_up);
}

void Client::update_policy(const std::string& tenant, const Policy& changes) {
  const std::string what = "update the sync policy of partner " + tenant;
  const auto exchange =
      execute("PATCH", policy_url(tenant), json::serialize(json::value_from(changes)), what);
  if (!is_success(exchange.response.status))
    throw error_from_response(exchange.response, what, exchange.gave_up);
}

void Client::delete_policy(const std::string& tenant) {
  const std::string what = "delete the sync policy of partner " + tenant;
  const auto exchange = execute("DELETE", policy_url(tenant), {}, what);
  // A resend after a lost connection finding nothing means the first attempt did the work.
  if (exchange.response.status == 404 && exchange.maybe_applied_before) return;
  if (!is_success(exchange.response.status))
    throw error_from_response(exchange.response, what, exchange.gave_up);
}

bool Client::partner_exists(const std::string& tenant) {
  const std::string what = "read the partner configuration of " + tenant;
  const auto exchange = execute("GET", versioned(fmt::format("{}/{}", k_partners, tenant)), {}, what);
  if (exchange.response.status == 404) return false;
  if (!is_success(exchange.response.status))
    throw error_from_response(exchange.response, what, exchange.gave_up);
  return true;
}

void Client::create_partner(const std::string& tenant) {
  const std::string what = "create the partner configuration of " + tenant;
  json::object body{{"tenantId", tenant}};
  http::Exchange exchange;
  try {
    exchange =
        execute("POST", partners_url(), json::serialize(body), what, http::Idempotency::not_idempotent);
  } catch (const Error& e) {
    // POST is never resent blind; whether the lost one took effect is read back instead.
    if (e.kind() != ErrorKind::network || !partner_exists(tenant)) throw;
    return;
  }
  if (!is_success(exchange.response.status))
    throw error_from_response(exchange.response, what, exchange.gave_up);
}

std::vector<Policy> Client::list_deleted() {
  require_beta(options_.api_version, "listing deleted policies");
  const std::string what = "list deleted sync policies";
  std::vector<Policy> items;
  std::set<std::string> seen;
  std::string url = versioned(k_deleted);
  while (true) {
    seen.insert(url);
    const auto exchange = execute("GET", url, {}, what);
    const auto& response = exchange.response;
    if (!is_success(response.status)) throw error_from_response(response, what, exchange.gave_up);
    const json::value page = parse_body(response, what);
    const auto* value = page.get_object().if_contains("value");
    if (!value || !value->is_array()) {
      throw Error(ErrorKind::failure, "cannot " + what + ": the response has no 'value' array");
    }
    for (const auto& item : value->get_array()) {
      try {
        items.push_back(json::value_to<Policy>(item));
      } catch (const std::invalid_argument& e) {
        throw Error(ErrorKind::failure, "cannot " + what + ": unexpected item in the response: " + e.what());
      }
    }
    const auto* next = page.get_object().if_contains("@odata.nextLink");
    if (!next || next->is_null()) break;
    if (!next->is_string())
      throw Error(ErrorKind::failure, "cannot " + what + ": '@odata.nextLink' is not a string");
    // Follow the link verbatim, but never send the token to another origin or go round in circles.
    std::string next_url(next->get_string());
    const http::Url parsed = http::parse_url(next_url);
    if (parsed.origin() != root_.origin()) {
      throw Error(ErrorKind::failure, "cannot " + what + ": the next page is on another host (" +
                                          parsed.host + "); refusing to send the access token there");
    }
    if (seen.contains(next_url)) {
      throw Error(ErrorKind::failure, "cannot " + what + ": Graph returned the same next page link twice");
    }
    url = std::move(next_url);
  }
  return items;
}

Policy Client::get_deleted(const std::string& tenant) {
  require_beta(options_.api_version, "reading a deleted policy");
  const std::string what = "read the deleted sync policy of partner " + tenant;
  const auto exchange = execute("GET", versioned(fmt::format("{}/{}", k_deleted, tenant)), {}, what);
  if (!is_success(exchange.response.status))
    throw error_from_response(exchange.response, what, exchange.gave_up);
  return parse_policy(exchange.response, what);
}

void Client::purge_deleted(const std::string& tenant) {
  require_beta(options_.api_version, "purging a deleted policy");
  const std::string what = "permanently delete the sync policy of partner " + tenant;
  const auto exchange = execute("DELETE", versioned(fmt::format("{}/{}", k_deleted, tenant)), {}, what);
  if (exchange.response.status == 404 && exchange.maybe_applied_before) return;
  if (!is_success(exchange.response.status))
    throw error_from_response(exchange.response, what, exchange.gave_up);
}

Policy Client::restore_deleted(const std::string& tenant) {
  require_beta(options_.api_version, "restoring a deleted policy");
  const std::string what = "restore the sync policy of partner " + tenant;
  http::Exchange exchange;
  try {
    exchange = execute("POST", versioned(fmt::format("{}/{}/restore", k_deleted, tenant)), {}, what,
                       http::Idempotency::not_idempotent);
  } catch (const Error& e) {
    // The answer was lost: if the policy is active again, the restore happened.
    if (e.kind() != ErrorKind::network) throw;
    if (auto policy = find_policy(tenant)) return *policy;
    throw;
  }
  const auto& response = exchange.response;
  if (!is_success(response.status)) throw error_from_response(response, what, exchange.gave_up);
  if (response.body.empty()) return get_policy(tenant);
  return parse_policy(response, what);
}

}  // namespace xtsync::graph
