#include "graph/client.hpp"

#include <boost/json.hpp>
#include <fmt/format.h>
#include <random>
#include <set>

#include "graph/graph_error.hpp"
#include "graph/retry_policy.hpp"
#include "util/guid.hpp"
#include "util/strings.hpp"
#include "util/interrupt.hpp"

namespace xtsync::graph {

namespace json = boost::json;

namespace {

constexpr std::string_view kPartners = "/policies/crossTenantAccessPolicy/partners";
constexpr std::string_view kDeleted = "/policies/deletedItems/crossTenantSyncPolicyPartners";

bool is_success(int status) { return status >= 200 && status < 300; }

bool is_redirect(int status) { return status == 301 || status == 302 || status == 303 || status == 307 || status == 308; }

constexpr int kMaxRedirects = 5;

// Parses a response body that must be a JSON object; anything else is an unexpected answer.
json::value parse_body(const http::Response& response, std::string_view what) {
  boost::system::error_code ec;
  json::value jv = json::parse(response.body, ec);
  if (ec || !jv.is_object()) {
    Error error(ErrorKind::failure, fmt::format("cannot {}: Graph answered HTTP {} with a body that is not a JSON object",
                                                what, response.status));
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
    throw Error(ErrorKind::failure, fmt::format("cannot {}: unexpected response from Graph: {}", what, e.what()));
  }
}

// What Ctrl-C left behind: a GET changed nothing; a write already on the wire may have been
// applied, so the user is told to look rather than assume.
Error interrupted(const std::string& method, std::string_view what, bool on_the_wire) {
  std::string message = fmt::format("interrupted before Graph answered: could not {}", what);
  if (method == "GET" || !on_the_wire) {
    message += "; this request changed nothing";
  } else {
    message += "; the request had been sent, so Graph may have applied it";
  }
  Error error(ErrorKind::interrupted, message);
  if (method != "GET" && on_the_wire) error.hint = "check the current state with 'xtsync get' before running it again";
  return error;
}

double unit_random() {
  thread_local std::mt19937 gen{std::random_device{}()};
  return std::uniform_real_distribution<double>(0.0, 1.0)(gen);
}

}  // namespace

Client::Client(http::Transport& transport, auth::TokenSource& tokens, ClientOptions options)
    : transport_(transport), tokens_(tokens), options_(std::move(options)) {
  while (!options_.graph_root.empty() && options_.graph_root.back() == '/') options_.graph_root.pop_back();
  root_ = http::parse_url(options_.graph_root);
  if (!root_.tls() && !http::is_loopback_host(root_.host)) {
    throw usage_error("'" + options_.graph_root +
                      "' uses plain http://, which is only allowed for loopback hosts; use https://");
  }
  if (options_.api_version != "beta" && options_.api_version != "v1.0") {
    throw usage_error("unknown API version '" + options_.api_version + "' (use beta or v1.0)");
  }
  if (!options_.sleep) options_.sleep = util::interruptible_sleep;
  budget_end_ = std::chrono::steady_clock::now() + options_.retry_budget;
}

std::string Client::versioned(std::string_view path) const {
  return options_.graph_root + "/" + options_.api_version + std::string(path);
}

std::string Client::policy_url(const std::string& tenant) const {
  return versioned(fmt::format("{}/{}/identitySynchronization", kPartners, tenant));
}

std::string Client::partners_url() const { return versioned(kPartners); }

void Client::require_beta(std::string_view what) const {
  if (!is_beta()) throw usage_error(std::string(what) + " needs --api-version beta (Graph v1.0 has no deleted items)");
}

void Client::wait(std::chrono::milliseconds delay, const std::string& method, std::string_view what) {
  try {
    options_.sleep(delay);
  } catch (const Error& e) {
    if (e.kind() == ErrorKind::interrupted) throw interrupted(method, what, false);
    throw;
  }
}

http::Response Client::send_once(http::Request& request, int attempt, bool authorize) {
  if (authorize) {
    http::set_header(request.headers, "Authorization", "Bearer " + tokens_.access_token());
  } else {
    std::erase_if(request.headers, [](const http::Header& h) { return util::iequals(h.name, "Authorization"); });
  }
  if (attempt > 0) http::set_header(request.headers, "Retry-Attempt", std::to_string(attempt));
  return transport_.send(request);
}

bool Client::within_budget(std::chrono::milliseconds delay) const {
  return std::chrono::steady_clock::now() + delay <= budget_end_;
}

http::Response Client::execute(const std::string& method, const std::string& url, const std::string& body,
                               std::string_view what) {
  http::Request request{method, url, {}, body};
  // One client-request-id per logical request, kept across retries, so Graph's logs tie them together.
  request.headers = {{"client-request-id", util::new_guid()},
                     {"User-Agent", "xtsync/" XTSYNC_VERSION},
                     {"Accept", "application/json"}};
  if (!body.empty()) request.headers.push_back({"Content-Type", "application/json"});

  // POST is not idempotent: after a lost connection the server may have acted, so it is not resent.
  const bool resend_after_network_error = method != "POST";
  const http::Url origin = http::parse_url(url);
  bool authorize = true;  // false once a redirect leaves Graph's origin: the token stays home
  bool reauthenticated = false;
  int redirects = 0;
  last_maybe_applied_ = false;
  for (int attempt = 0;; ++attempt) {
    const bool last = attempt >= options_.max_retries;
    http::Response response;
    try {
      response = send_once(request, attempt, authorize);
    } catch (const Error& e) {
      if (e.kind() == ErrorKind::interrupted) throw interrupted(method, what, true);
      if (e.kind() != ErrorKind::network || last || !resend_after_network_error) throw;
      const auto delay = backoff_delay(attempt + 1, unit_random(), options_.max_wait);
      if (!within_budget(delay)) throw;
      // The lost request may have reached Graph; callers that can tell (DELETE → 404) use this.
      if (request.method != "GET") last_maybe_applied_ = true;
      transport_.reset_connection();
      wait(delay, method, what);
      continue;
    }
    // One new token and one resend for a claims challenge; a second 401 is final.
    if (authorize && !reauthenticated && tokens_.can_refresh() && is_claims_challenge(response)) {
      reauthenticated = true;
      tokens_.invalidate();
      continue;
    }
    if (const auto location = response.header("Location"); location && is_redirect(response.status)) {
      if (++redirects > kMaxRedirects) {
        throw Error(ErrorKind::failure, fmt::format("cannot {}: more than {} redirects", what, kMaxRedirects));
      }
      const http::Url from = http::parse_url(request.url);
      std::string next = location->starts_with("/") ? from.scheme + "://" + from.host + ":" +
                                                          std::to_string(from.port) + *location
                                                    : *location;
      const http::Url to = http::parse_url(next);
      if (from.tls() && !to.tls()) {
        throw Error(ErrorKind::failure, fmt::format("cannot {}: refusing a redirect from https:// to http://", what));
      }
      authorize = authorize && to.origin() == origin.origin();
      if (response.status == 303) {
        request.method = "GET";
        request.body.clear();
        std::erase_if(request.headers, [](const http::Header& h) { return util::iequals(h.name, "Content-Type"); });
      }
      request.url = std::move(next);
      --attempt;  // a redirect is not a retry
      continue;
    }
    if (is_success(response.status) || !is_retryable(response)) return response;
    if (last) {
      throw error_from_response(response, what,
                                attempt > 0 ? fmt::format("gave up after {} attempts", attempt + 1) : "");
    }
    std::chrono::milliseconds delay = backoff_delay(attempt + 1, unit_random(), options_.max_wait);
    if (auto header = response.header("Retry-After")) {
      if (auto asked = parse_retry_after(*header)) {
        if (*asked > options_.max_wait) {
          throw error_from_response(response, what,
                                    fmt::format("Graph asked to wait {:.1f} s, longer than the {} s limit",
                                                asked->count() / 1000.0, options_.max_wait.count() / 1000));
        }
        delay = *asked;
      }
    }
    if (!within_budget(delay)) {
      throw error_from_response(response, what,
                                fmt::format("waiting {:.1f} s more would exceed the {} s retry budget",
                                            delay.count() / 1000.0, options_.retry_budget.count() / 1000));
    }
    // Graph asks for a fresh connection when retrying after 503.
    if (response.status == 503) transport_.reset_connection();
    this->wait(delay, method, what);
  }
}

std::optional<Policy> Client::find_policy(const std::string& tenant) {
  const std::string what = "read the sync policy of partner " + tenant;
  auto response = execute("GET", policy_url(tenant), {}, what);
  if (response.status == 404) return std::nullopt;
  if (!is_success(response.status)) throw error_from_response(response, what);
  return parse_policy(response, what);
}

Policy Client::get_policy(const std::string& tenant) {
  const std::string what = "read the sync policy of partner " + tenant;
  auto response = execute("GET", policy_url(tenant), {}, what);
  if (!is_success(response.status)) throw error_from_response(response, what);
  return parse_policy(response, what);
}

void Client::create_policy(const std::string& tenant, const Policy& policy) {
  const std::string what = "create the sync policy of partner " + tenant;
  auto response = execute("PUT", policy_url(tenant), json::serialize(json::value_from(policy)), what);
  if (!is_success(response.status)) throw error_from_response(response, what);
}

void Client::update_policy(const std::string& tenant, const Policy& changes) {
  const std::string what = "update the sync policy of partner " + tenant;
  auto response = execute("PATCH", policy_url(tenant), json::serialize(json::value_from(changes)), what);
  if (!is_success(response.status)) throw error_from_response(response, what);
}

void Client::delete_policy(const std::string& tenant) {
  const std::string what = "delete the sync policy of partner " + tenant;
  auto response = execute("DELETE", policy_url(tenant), {}, what);
  // A resend after a lost connection finding nothing means the first attempt did the work.
  if (response.status == 404 && last_maybe_applied_) return;
  if (!is_success(response.status)) throw error_from_response(response, what);
}

bool Client::partner_exists(const std::string& tenant) {
  const std::string what = "read the partner configuration of " + tenant;
  auto response = execute("GET", versioned(fmt::format("{}/{}", kPartners, tenant)), {}, what);
  if (response.status == 404) return false;
  if (!is_success(response.status)) throw error_from_response(response, what);
  return true;
}

void Client::create_partner(const std::string& tenant) {
  const std::string what = "create the partner configuration of " + tenant;
  json::object body{{"tenantId", tenant}};
  http::Response response;
  try {
    response = execute("POST", partners_url(), json::serialize(body), what);
  } catch (const Error& e) {
    // POST is never resent blind; whether the lost one took effect is read back instead.
    if (e.kind() != ErrorKind::network || !partner_exists(tenant)) throw;
    return;
  }
  if (!is_success(response.status)) throw error_from_response(response, what);
}

std::vector<Policy> Client::list_deleted() {
  require_beta("listing deleted policies");
  const std::string what = "list deleted sync policies";
  std::vector<Policy> items;
  std::set<std::string> seen;
  std::string url = versioned(kDeleted);
  while (true) {
    seen.insert(url);
    auto response = execute("GET", url, {}, what);
    if (!is_success(response.status)) throw error_from_response(response, what);
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
    if (!next->is_string()) throw Error(ErrorKind::failure, "cannot " + what + ": '@odata.nextLink' is not a string");
    // Follow the link verbatim, but never send the token to another origin or go round in circles.
    std::string next_url(next->get_string());
    const http::Url parsed = http::parse_url(next_url);
    if (parsed.origin() != root_.origin()) {
      throw Error(ErrorKind::failure, "cannot " + what + ": the next page is on another host (" + parsed.host +
                                          "); refusing to send the access token there");
    }
    if (seen.contains(next_url)) {
      throw Error(ErrorKind::failure, "cannot " + what + ": Graph returned the same next page link twice");
    }
    url = std::move(next_url);
  }
  return items;
}

Policy Client::get_deleted(const std::string& tenant) {
  require_beta("reading a deleted policy");
  const std::string what = "read the deleted sync policy of partner " + tenant;
  auto response = execute("GET", versioned(fmt::format("{}/{}", kDeleted, tenant)), {}, what);
  if (!is_success(response.status)) throw error_from_response(response, what);
  return parse_policy(response, what);
}

void Client::purge_deleted(const std::string& tenant) {
  require_beta("purging a deleted policy");
  const std::string what = "permanently delete the sync policy of partner " + tenant;
  auto response = execute("DELETE", versioned(fmt::format("{}/{}", kDeleted, tenant)), {}, what);
  if (response.status == 404 && last_maybe_applied_) return;
  if (!is_success(response.status)) throw error_from_response(response, what);
}

Policy Client::restore_deleted(const std::string& tenant) {
  require_beta("restoring a deleted policy");
  const std::string what = "restore the sync policy of partner " + tenant;
  http::Response response;
  try {
    response = execute("POST", versioned(fmt::format("{}/{}/restore", kDeleted, tenant)), {}, what);
  } catch (const Error& e) {
    // The answer was lost: if the policy is active again, the restore happened.
    if (e.kind() != ErrorKind::network) throw;
    if (auto policy = find_policy(tenant)) return *policy;
    throw;
  }
  if (!is_success(response.status)) throw error_from_response(response, what);
  if (response.body.empty()) return get_policy(tenant);
  return parse_policy(response, what);
}

}  // namespace xtsync::graph
