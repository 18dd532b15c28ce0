// The emulated Microsoft Graph endpoints for cross-tenant identity sync policies: a pure
// function of (state, request) → response, with no sockets, so it can be unit-tested directly.
#pragma once

#include <boost/json/object.hpp>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "emulator/graph_batch.hpp"
#include "emulator/issued_tokens.hpp"
#include "emulator/state.hpp"
#include "emulator/time_format.hpp"
#include "emulator/write_quota.hpp"
#include "http/message.hpp"

namespace xtsync::emulator {

struct GraphOptions {
  // Bearer tokens accepted for everything; when empty, "emulator-token".
  std::vector<std::string> tokens;
  // Bearer tokens accepted for GETs only; writes with them get 403.
  std::vector<std::string> read_only_tokens;
  // Tokens the emulated identity platform issued, accepted until they expire; null for none.
  const IssuedTokens* issued_tokens = nullptr;
  // Page size of the partner list and of the deleted-items list.
  std::size_t page_size = 100;
  // What findTenantInformationByDomainName knows: {lower-case domain, tenant id}, in order; a
  // tenant's first domain is its defaultDomainName.
  std::vector<std::pair<std::string, std::string>> domains;
  // The write limit every write (and every write in a batch) is charged against; none when unset.
  std::optional<WriteQuota> write_quota;
  BatchOrder batch_order = BatchOrder::reversed;
  // Called for each batch item before it runs; an answer it returns replaces running the item
  // (scripted faults aimed at one item). The id is the item's id in the batch.
  std::function<std::optional<http::Response>(const http::Request& item, const std::string& id)> on_batch_item;
  // "Now" for deletedDateTime, innerError.date and the Date header.
  ClockFn clock = [] { return Clock::now(); };
};

inline constexpr std::string_view k_default_token = "emulator-token";

class Graph {
 public:
  // `base_url` (scheme://host:port, no trailing '/') prefixes @odata.context and @odata.nextLink.
  Graph(State& state, GraphOptions options, std::string base_url);

  void set_base_url(std::string base_url) { base_url_ = std::move(base_url); }
  const std::string& base_url() const noexcept { return base_url_; }

  // `request.url` is the request target: path and query, e.g. /beta/policies/...?$select=x.
  http::Response handle(const http::Request& request);

  // What the write quota saw: {"writes","throttled","earlyRetries"}, where an early retry is a
  // write resent (same method and path; a POST also the same body) before the Retry-After its throttled attempt was given.
  boost::json::object write_stats() const;
  void reset_write_stats();

 private:
  struct Call;

  http::Response dispatch(Call& call);
  http::Response list_partners(Call& call);
  http::Response create_partner(Call& call);
  http::Response get_partner(Call& call);
  http::Response update_partner(Call& call);
  http::Response delete_partner(Call& call);
  http::Response get_policy(Call& call);
  http::Response create_policy(Call& call);
  http::Response update_policy(Call& call);
  http::Response delete_policy(Call& call);
  http::Response list_deleted(Call& call);
  http::Response get_deleted(Call& call);
  http::Response purge_deleted(Call& call);
  http::Response restore_deleted(Call& call);
  http::Response batch(Call& call);
  http::Response run_batch_item(const Call& call, const BatchEntry& entry);
  http::Response find_tenant(Call& call);
  void charge_write(const Call& call);

  std::string metadata_url(const Call& call) const;

  State& state_;
  GraphOptions options_;
  std::string base_url_;
  bool in_batch_ = false;
  std::uint64_t writes_ = 0;
  std::uint64_t throttled_ = 0;
  std::uint64_t early_retries_ = 0;
  // "METHOD path" (and a POST's body) of throttled writes → when their Retry-After ends.
  std::map<std::string, Clock::time_point> not_before_;
};

}  // namespace xtsync::emulator
