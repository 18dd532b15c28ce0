#include "graph/client.hpp"

#include <fmt/format.h>
#include <boost/json.hpp>
#include <cmath>
#include <set>

#include "graph/graph_error.hpp"
#include "graph/set_plan.hpp"
#include "util/guid.hpp"
#include "util/json_fields.hpp"
#include "util/json_numbers.hpp"
#include "util/strings.hpp"

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
  if (const auto number = util::inexact_number(response.body)) {
    Error error(ErrorKind::failure,
                fmt::format("cannot {}: Graph's answer holds the number {}, which xtsync cannot keep exactly; it "
                            "refuses to pass it on altered",
                            what, *number));
    error.request_id = response.header("request-id").value_or("");
    throw error;
  }
  return jv;
}

// Consumes the response: its body is dropped once parsed, so a large answer is not held three
// times over (text, parsed value, model) on its way to the screen.
Policy parse_policy(http::Response&& response, std::string_view what) {
  try {
    json::value parsed = parse_body(response, what);
    std::string().swap(response.body);
    return json::value_to<Policy>(parsed);
  } catch (const std::invalid_argument& e) {
    throw Error(ErrorKind::failure,
                fmt::format("cannot {}: unexpected response from Graph: {}", what, e.what()));
  }
}

// Whether `current` already has every property `sent` asks for.
bool shows(const Policy& current, const Policy& sent) { return plan_set(current, sent).action == SetAction::unchanged; }

Error conflict_after_loss(const std::string& tenant, const std::string& what) {
  Error error(ErrorKind::conflict, "cannot " + what + ": its answer was lost, and the policy now exists with other values");
  error.hint = "another writer may have created it; check with 'xtsync get " + tenant + "' and run 'xtsync set' again";
  return error;
}

std::optional<double> throttle_percentage(const http::Response& response) {
  const auto value = response.header("x-ms-throttle-limit-percentage");
  if (!value) return std::nullopt;
  try {
    std::size_t used = 0;
    const double pct = std::stod(*value, &used);
    if (used == 0 || !std::isfinite(pct)) return std::nullopt;
    return pct;
  } catch (const std::exception&) {
    return std::nullopt;
  }
}

http::RetryPolicy retry_policy(const ClientOptions& options) {
  return {options.max_retries, options.max_wait, options.retry_budget, options.on_retry};
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
  auto exchange = execute("GET", policy_url(tenant), {}, what);
  auto& response = exchange.response;
  if (response.status == 404) return std::nullopt;
  if (!is_success(response.status)) throw error_from_response(response, what, exchange.gave_up);
  return parse_policy(std::move(response), what);
}

Policy Client::get_policy(const std::string& tenant) {
  const std::string what = "read the sync policy of partner " + tenant;
  auto exchange = execute("GET", policy_url(tenant), {}, what);
  if (!is_success(exchange.response.status)) {
    Error error = error_from_response(exchange.response, what, exchange.gave_up);
    if (error.http_status == 404) {
      error.hint = "'xtsync set " + tenant + " --create-partner --user-sync allow' creates it; 'xtsync list-deleted' shows deleted ones";
    }
    throw error;
  }
  return parse_policy(std::move(exchange.response), what);
}

void Client::create_policy(const std::string& tenant, const Policy& policy) {
  const std::string what = "create the sync policy of partner " + tenant;
  const std::string body = json::serialize(json::value_from(policy));
  // Graph's PUT is create-only: a second one of a created policy gets 409. So it is never resent
  // blind; after a lost answer, or a 409 saying it exists, the policy is read back: if it already
  // shows what was sent, the create is done.
  const auto put = [&] { return execute("PUT", policy_url(tenant), body, what, http::Idempotency::not_idempotent); };
  http::Exchange exchange;
  try {
    exchange = put();
  } catch (const Error& e) {
    if (e.kind() != ErrorKind::network || e.delivery == Error::Delivery::not_sent) throw;
    const auto now = read_back_after_loss(tenant, e);
    if (now && shows(*now, policy)) return;
    if (now) throw conflict_after_loss(tenant, what);
    exchange = resend_after_loss(put, tenant);
  }
  if (exchange.response.status == 504) {  // the gateway timed out: created or not, nobody said
    const auto now = find_policy(tenant);
    if (now && shows(*now, policy)) return;
    if (now) throw conflict_after_loss(tenant, what);
    exchange = resend_after_gateway_timeout(put, tenant, what);
  }
  const auto& response = exchange.response;
  if (response.status == 409 && parse_error_body(response.body).code == "Request_MultipleObjectsWithSameKeyValue") {
    if (const auto now = find_policy(tenant); now && shows(*now, policy)) return;
  }
  if (!is_success(response.status)) throw error_from_response(response, what, exchange.gave_up);
}

void Client::update_policy(const std::string& tenant, const Policy& changes) {
  const std::string what = "update the sync policy of partner " + tenant;
  const std::string body = json::serialize(json::value_from(changes));
  // Not resent blind either: a concurrent writer's change made in between would be overwritten.
  const auto patch = [&] {
    return execute("PATCH", policy_url(tenant), body, what, http::Idempotency::not_idempotent);
  };
  http::Exchange exchange;
  try {
    exchange = patch();
  } catch (const Error& e) {
    if (e.kind() != ErrorKind::network || e.delivery == Error::Delivery::not_sent) throw;
    const auto now = read_back_after_loss(tenant, e);
    if (now && shows(*now, changes)) return;
    if (!now) throw Error(ErrorKind::not_found, "cannot " + what + ": the policy no longer exists");
    exchange = resend_after_loss(patch, tenant);
  }
  if (exchange.response.status == 504) {  // the gateway timed out: applied or not, nobody said
    const auto now = find_policy(tenant);
    if (now && shows(*now, changes)) return;
    if (!now) throw Error(ErrorKind::not_found, "cannot " + what + ": the policy no longer exists");
    exchange = resend_after_gateway_timeout(patch, tenant, what);
  }
  if (!is_success(exchange.response.status)) {
    throw error_from_response(exchange.response, what, exchange.gave_up);
  }
}

std::optional<Policy> Client::read_back_after_loss(const std::string& tenant, const Error& lost) {
  try {
    return find_policy(tenant);
  } catch (const Error& e) {
    if (e.kind() == ErrorKind::interrupted) throw;
    Error error = lost;
    error.hint = maybe_applied_hint(tenant);
    throw error;
  }
}

http::Exchange Client::resend_after_loss(const std::function<http::Exchange()>& send, const std::string& tenant) {
  try {
    return send();
  } catch (Error& e) {
    if (e.kind() == ErrorKind::network && e.delivery != Error::Delivery::not_sent) e.hint = maybe_applied_hint(tenant);
    throw;
  }
}

// A 504 says as little as a lost answer: after reading back, the write is sent once more, and a
// second 504 says it may have been applied.
http::Exchange Client::resend_after_gateway_timeout(const std::function<http::Exchange()>& send,
                                                    const std::string& tenant, const std::string& what) {
  http::Exchange exchange = resend_after_loss(send, tenant);
  if (exchange.response.status == 504) {
    Error error = error_from_response(exchange.response, what, exchange.gave_up);
    error.hint = maybe_applied_hint(tenant);
    throw error;
  }
  return exchange;
}

void Client::delete_policy(const std::string& tenant) {
  const std::string what = "delete the sync policy of partner " + tenant;
  const auto exchange = execute("DELETE", policy_url(tenant), {}, what);
  // A resend after a lost connection finding nothing means the first attempt did the work.
  if (exchange.response.status == 404 && exchange.maybe_applied_before) return;
  if (!is_success(exchange.response.status))
    throw error_from_response(exchange.response, what, exchange.gave_up);
}

std::optional<TenantInformation> Client::find_tenant_by_domain(const std::string& domain) {
  const std::string what = "look up the tenant of domain " + domain;
  // The domain is a checked DNS name (letters, digits, dots, hyphens): nothing to escape.
  const auto exchange = execute(
      "GET", versioned(fmt::format("/tenantRelationships/findTenantInformationByDomainName(domainName='{}')", domain)), {},
      what);
  const auto& response = exchange.response;
  // Graph does not document the answer for an unknown domain: 404, or 400 with a "not found"
  // code, are both read as "no such domain".
  if (response.status == 404) return std::nullopt;
  if (response.status == 400) {
    const auto code = util::to_lower(parse_error_body(response.body).code);
    if (code.find("notfound") != std::string::npos || code.find("not_found") != std::string::npos) return std::nullopt;
  }
  if (!is_success(response.status)) throw error_from_response(response, what, exchange.gave_up);
  const auto body = parse_body(response, what);
  TenantInformation info;
  info.tenant_id = util::string_at(body.get_object(), "tenantId");
  info.display_name = util::string_at(body.get_object(), "displayName");
  info.default_domain_name = util::string_at(body.get_object(), "defaultDomainName");
  const auto guid = util::normalize_guid(info.tenant_id);
  if (!guid) {
    throw Error(ErrorKind::failure, "cannot " + what + ": Graph's answer has no usable tenantId");
  }
  info.tenant_id = *guid;
  return info;
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
    exchange = execute("POST", partners_url(), json::serialize(body), what, http::Idempotency::not_idempotent);
  } catch (const Error& e) {
    // POST is never resent blind; whether the lost one took effect is read back instead.
    if (e.kind() != ErrorKind::network || e.delivery == Error::Delivery::not_sent) throw;
    if (!partner_exists(tenant)) throw;
    return;
  }
  // Two runs racing to make sure the partner exists: the loser's 409 is still success.
  if (exchange.response.status == 409 && partner_exists(tenant)) return;
  if (!is_success(exchange.response.status)) {
    throw error_from_response(exchange.response, what, exchange.gave_up);
  }
}

void Client::for_each_page(std::string url, const std::string& what,
                           const std::function<void(json::array&)>& on_page) {
  std::set<std::string> seen;
  for (std::size_t pages = 1;; ++pages) {
    seen.insert(url);
    const auto exchange = execute("GET", url, {}, what);
    const auto& response = exchange.response;
    if (!is_success(response.status)) throw error_from_response(response, what, exchange.gave_up);
    json::value page = parse_body(response, what);
    auto* value = page.get_object().if_contains("value");
    if (!value || !value->is_array()) {
      throw Error(ErrorKind::failure, "cannot " + what + ": the response has no 'value' array");
    }
    on_page(value->get_array());
    const auto* next = page.get_object().if_contains("@odata.nextLink");
    if (!next || next->is_null()) return;
    if (!next->is_string()) throw Error(ErrorKind::failure, "cannot " + what + ": '@odata.nextLink' is not a string");
    if (pages >= options_.max_pages) {
      throw Error(ErrorKind::failure, fmt::format("cannot {}: Graph offered more than {} pages; stopping there", what,
                                                  options_.max_pages));
    }
    // Follow the link verbatim, but never send the token to another origin or go round in circles.
    std::string next_url(next->get_string());
    http::Url parsed;
    try {
      parsed = http::parse_url(next_url);
    } catch (const Error&) {
      throw Error(ErrorKind::failure, "cannot " + what + ": Graph returned an unusable '@odata.nextLink'");
    }
    if (parsed.origin() != root_.origin()) {
      throw Error(ErrorKind::failure, "cannot " + what + ": the next page is on another host (" + parsed.host +
                                          "); refusing to send the access token there");
    }
    if (seen.contains(next_url)) {
      throw Error(ErrorKind::failure, "cannot " + what + ": Graph returned the same next page link twice");
    }
    url = std::move(next_url);
  }
}

std::string Client::policy_path(const std::string& tenant) {
  return fmt::format("{}/{}/identitySynchronization", k_partners, tenant);
}

std::string Client::partners_path() { return std::string(k_partners); }

std::vector<BatchItemResult> Client::send_batch(const std::vector<BatchItem>& items) {
  if (items.empty() || items.size() > k_max_batch_items) {
    throw std::logic_error("a batch holds 1 to 20 requests");
  }
  const std::string what = fmt::format("send a batch of {} requests", items.size());
  const auto exchange =
      execute("POST", versioned("/$batch"), batch_request_body(items), what, http::Idempotency::not_idempotent);
  if (!is_success(exchange.response.status)) throw error_from_response(exchange.response, what, exchange.gave_up);
  last_throttle_percentage_ = throttle_percentage(exchange.response);
  return parse_batch_response(exchange.response, items, what);
}

void Client::for_each_partner(const std::function<void(PartnerEntry&&)>& on_partner) {
  const std::string what = "list the partner configurations and their sync policies";
  for_each_page(versioned(k_partners) + "?$expand=identitySynchronization", what, [&](json::array& items) {
    for (const auto& item : items) {
      if (!item.is_object()) throw Error(ErrorKind::failure, "cannot " + what + ": a partner is not a JSON object");
      const auto& partner = item.get_object();
      PartnerEntry entry;
      const auto guid = util::normalize_guid(util::string_at(partner, "tenantId"));
      if (!guid) throw Error(ErrorKind::failure, "cannot " + what + ": a partner has no usable tenantId");
      entry.tenant_id = *guid;
      if (const auto* sync = partner.if_contains("identitySynchronization"); sync && !sync->is_null()) {
        try {
          entry.policy = json::value_to<Policy>(*sync);
        } catch (const std::invalid_argument& e) {
          throw Error(ErrorKind::failure, "cannot " + what + ": unexpected sync policy of partner " + entry.tenant_id +
                                              ": " + e.what());
        }
        // The expanded object may leave out the key it hangs off.
        if (!entry.policy->tenant_id.value) entry.policy->tenant_id = Property<std::string>::of(entry.tenant_id);
      }
      on_partner(std::move(entry));
    }
  });
}

void Client::for_each_deleted(const std::function<void(Policy&&)>& on_item) {
  require_beta(options_.api_version, "listing deleted policies");
  const std::string what = "list deleted sync policies";
  for_each_page(versioned(k_deleted), what, [&](json::array& items) {
    for (const auto& item : items) {
      Policy policy;
      try {
        policy = json::value_to<Policy>(item);
      } catch (const std::invalid_argument& e) {
        throw Error(ErrorKind::failure, "cannot " + what + ": unexpected item in the response: " + e.what());
      }
      on_item(std::move(policy));
    }
  });
}

std::vector<Policy> Client::list_deleted() {
  std::vector<Policy> items;
  for_each_deleted([&](Policy&& p) { items.push_back(std::move(p)); });
  return items;
}

Policy Client::get_deleted(const std::string& tenant) {
  require_beta(options_.api_version, "reading a deleted policy");
  const std::string what = "read the deleted sync policy of partner " + tenant;
  auto exchange = execute("GET", versioned(fmt::format("{}/{}", k_deleted, tenant)), {}, what);
  if (!is_success(exchange.response.status))
    throw error_from_response(exchange.response, what, exchange.gave_up);
  return parse_policy(std::move(exchange.response), what);
}

void Client::purge_deleted(const std::string& tenant) {
  require_beta(options_.api_version, "purging a deleted policy");
  const std::string what = "permanently delete the sync policy of partner " + tenant;
  const auto exchange = execute("DELETE", versioned(fmt::format("{}/{}", k_deleted, tenant)), {}, what);
  if (exchange.response.status == 404 && exchange.maybe_applied_before) return;
  if (!is_success(exchange.response.status)) {
    Error error = error_from_response(exchange.response, what, exchange.gave_up);
    if (error.http_status == 404) {
      error.hint = "only a deleted policy can be purged: 'xtsync list-deleted' shows them; a live one goes there with 'xtsync delete " + tenant + "'";
    }
    throw error;
  }
}

Policy Client::restore_deleted(const std::string& tenant) {
  require_beta(options_.api_version, "restoring a deleted policy");
  const std::string what = "restore the sync policy of partner " + tenant;
  const std::string url = versioned(fmt::format("{}/{}/restore", k_deleted, tenant));
  const auto post = [&] { return execute("POST", url, {}, what, http::Idempotency::not_idempotent); };
  http::Exchange exchange;
  try {
    exchange = post();
  } catch (const Error& e) {
    if (e.kind() != ErrorKind::network || e.delivery == Error::Delivery::not_sent) throw;
    // The answer was lost: if the policy is active again, the restore happened; if the deleted
    // copy is still there, it did not, and asking again is safe.
    if (auto policy = read_back_after_loss(tenant, e)) return *policy;
    if (!deleted_exists(tenant)) {
      Error error = e;
      error.hint = maybe_applied_hint(tenant);
      throw error;
    }
    exchange = resend_after_loss(post, tenant);
    // The lost one may have landed just before the resend, which then finds nothing to restore.
    if (!is_success(exchange.response.status)) {
      if (auto policy = find_policy(tenant)) return *policy;
    }
  }
  const auto& response = exchange.response;
  if (!is_success(response.status)) throw restore_failure(tenant, exchange);
  if (!response.body.empty()) return parse_policy(std::move(exchange.response), what);
  try {
    return get_policy(tenant);
  } catch (const Error& e) {
    Error error =
        e.restated(e.kind(), "restored the sync policy of partner " + tenant + ", but reading it back failed: " + e.what());
    error.hint = "the restore is done; 'xtsync get " + tenant + "' shows the policy";
    throw error;
  }
}

// Why a restore was refused, in words that say what to do next.
Error Client::restore_failure(const std::string& tenant, const http::Exchange& exchange) {
  const std::string what = "restore the sync policy of partner " + tenant;
  Error error = error_from_response(exchange.response, what, exchange.gave_up);
  if (error.http_status == 409) {
    error.hint = "partner " + tenant + " has a live policy as well: delete it first ('xtsync delete " + tenant +
                 "') to bring the deleted copy back, or drop the copy with 'xtsync purge " + tenant + "'";
  } else if (error.http_status == 404) {
    // Nothing in deleted items: say so plainly when the policy is simply live.
    std::optional<Policy> live;
    try {
      live = find_policy(tenant);
    } catch (const Error&) {
    }
    if (live) {
      Error not_deleted = error.restated(
          ErrorKind::not_found, "cannot restore the sync policy of partner " + tenant + ": it is not deleted; it is active");
      not_deleted.hint = "'xtsync get " + tenant + "' shows it";
      return not_deleted;
    }
    error.hint = "'xtsync list-deleted' shows the policies that can be restored";
  }
  return error;
}

std::optional<Policy> Client::find_deleted(const std::string& tenant) {
  const std::string what = "read the deleted sync policy of partner " + tenant;
  auto exchange = execute("GET", versioned(fmt::format("{}/{}", k_deleted, tenant)), {}, what);
  if (exchange.response.status == 404) return std::nullopt;
  if (!is_success(exchange.response.status)) throw error_from_response(exchange.response, what, exchange.gave_up);
  return parse_policy(std::move(exchange.response), what);
}

bool Client::deleted_exists(const std::string& tenant) {
  return find_deleted(tenant).has_value();
}

std::string maybe_applied_hint(const std::string& tenant) {
  return "the request was sent and may have been applied; check with 'xtsync get " + tenant +
         "' before running it again";
}

}  // namespace xtsync::graph
