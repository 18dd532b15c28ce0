// A thin Microsoft Graph client for the partner identity-synchronization policy:
// one function per Graph call, each returning plain model values or throwing xtsync::Error.
// Every call goes through the one request path (http/send.hpp).
#pragma once

#include <boost/json/array.hpp>
#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "error.hpp"
#include "graph/api_version.hpp"
#include "graph/batch.hpp"
#include "graph/policy.hpp"
#include "http/send.hpp"
#include "http/token_source.hpp"
#include "http/transport.hpp"
#include "http/url.hpp"

namespace xtsync::graph {

struct ClientOptions {
  std::string graph_root = "https://graph.microsoft.com";  // no version segment
  ApiVersion api_version = ApiVersion::beta;
  int max_retries = 4;
  std::function<void(const http::RetryNotice&)> on_retry;  // told before each wait
  std::chrono::milliseconds max_wait{std::chrono::seconds(60)};  // longest single wait
  // All waiting of one command together; a retry that would end past it fails at once.
  std::chrono::milliseconds retry_budget{std::chrono::minutes(5)};
  // The budget itself, when the command's identity calls share it; made from retry_budget if not.
  std::shared_ptr<http::RetryBudget> shared_budget;
  // How to wait between attempts; tests replace it so they run instantly.
  std::function<void(std::chrono::milliseconds)> sleep;
  // Paged reads stop with an error past this many pages: a server handing out a fresh
  // @odata.nextLink forever must not keep a command running (and growing) forever.
  std::size_t max_pages = 10000;
};

// What findTenantInformationByDomainName answers about a tenant.
struct TenantInformation {
  std::string tenant_id;
  std::string display_name;
  std::string default_domain_name;
};

// One partner configuration, with its sync policy when it has one.
struct PartnerEntry {
  std::string tenant_id;
  std::optional<Policy> policy;
};

// "the request was sent and may have been applied; check with 'xtsync get T' …"
std::string maybe_applied_hint(const std::string& tenant);

class Client {
 public:
  // Throws Error(usage) for a Graph root that is not https:// (or http:// on loopback).
  Client(http::Transport& transport, http::TokenSource& tokens, ClientOptions options);

  const ClientOptions& options() const { return options_; }
  bool is_beta() const { return options_.api_version == ApiVersion::beta; }

  // The identity-synchronization policy of a partner; nullopt when Graph answers 404.
  std::optional<Policy> find_policy(const std::string& tenant);
  Policy get_policy(const std::string& tenant);
  void create_policy(const std::string& tenant, const Policy& policy);   // PUT, create-only
  void update_policy(const std::string& tenant, const Policy& changes);  // PATCH
  void delete_policy(const std::string& tenant);                         // soft delete

  // The tenant a domain name belongs to (GET /tenantRelationships/findTenantInformationByDomainName);
  // nullopt when Graph knows no such domain. `domain` must be a checked domain name.
  std::optional<TenantInformation> find_tenant_by_domain(const std::string& domain);

  // The partner configuration the policy hangs off.
  bool partner_exists(const std::string& tenant);
  void create_partner(const std::string& tenant);

  // Every partner configuration with its sync policy, from one paged read
  // (GET …/partners?$expand=identitySynchronization), one item at a time as pages arrive.
  // A partner without a policy may carry "identitySynchronization": null or no such key.
  void for_each_partner(const std::function<void(PartnerEntry&&)>& on_partner);

  // One JSON batch (at most k_max_batch_items), sent once: a batch holds writes, so a lost answer
  // is the caller's to reconcile. Throws for a failure of the batch as a whole.
  std::vector<BatchItemResult> send_batch(const std::vector<BatchItem>& items);

  // A path relative to the version (what batch items carry), for a partner's policy.
  static std::string policy_path(const std::string& tenant);
  static std::string partners_path();
  // x-ms-throttle-limit-percentage of the last batch answer (Graph sends it once usage passes
  // 0.8 of a limit), for pacing; nullopt when the answer had none.
  std::optional<double> last_throttle_percentage() const { return last_throttle_percentage_; }

  // Deleted items (beta only).
  std::vector<Policy> list_deleted();  // every page
  // The same, one item at a time as the pages arrive, so nothing is kept.
  void for_each_deleted(const std::function<void(Policy&&)>& on_item);
  Policy get_deleted(const std::string& tenant);
  std::optional<Policy> find_deleted(const std::string& tenant);  // beta; none on 404
  void purge_deleted(const std::string& tenant);
  Policy restore_deleted(const std::string& tenant);

  std::string policy_url(const std::string& tenant) const;
  std::string partners_url() const;

 private:
  http::Exchange execute(const std::string& method, const std::string& url, const std::string& body,
                         const std::string& what,
                         http::Idempotency idempotency = http::Idempotency::idempotent);
  // After a write's answer was lost: the policy as it is now, or the lost error (with a
  // may-have-been-applied hint) when even that cannot be read.
  std::optional<Policy> read_back_after_loss(const std::string& tenant, const Error& lost);
  // The one resend a reconciled write gets; a second loss says it may have been applied.
  http::Exchange resend_after_loss(const std::function<http::Exchange()>& send, const std::string& tenant);
  http::Exchange resend_after_gateway_timeout(const std::function<http::Exchange()>& send, const std::string& tenant,
                                              const std::string& what);
  bool deleted_exists(const std::string& tenant);
  Error restore_failure(const std::string& tenant, const http::Exchange& exchange);
  // GETs `url` and every @odata.nextLink after it, handing each page's "value" array over.
  void for_each_page(std::string url, const std::string& what,
                     const std::function<void(boost::json::array&)>& on_page);
  std::string versioned(std::string_view path) const;

  http::TokenSource& tokens_;
  ClientOptions options_;
  http::Url root_;
  http::Sender sender_;
  std::optional<double> last_throttle_percentage_;
};

}  // namespace xtsync::graph
