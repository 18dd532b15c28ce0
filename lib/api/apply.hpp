// `apply`: make the tenant match a file. The plan compares what the file wants with the whole
// live state (one $expand read) using set's diff logic; the run sends the writes as JSON
// batches over several connections, retries each throttled item on its own after its own
// Retry-After, paces itself to Graph's throttling, and reconciles a lost batch answer by
// reading the state back instead of resending.
#pragma once

#include <boost/json/value.hpp>
#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "api/apply_file.hpp"
#include "error.hpp"
#include "graph/client.hpp"

namespace xtsync::api {

enum class PlanAction { create, update, remove, unchanged, blocked };
// "create", "update", "delete", "unchanged", "blocked"
std::string_view action_name(PlanAction action) noexcept;

// One property the plan changes, in the file format's names and values (userSync: allow).
struct PropertyChange {
  std::string property;
  boost::json::value from;  // null when the property was not there
  boost::json::value to;
};

// What the file wants of one partner, its name resolved.
struct WantedPartner {
  std::string tenant;    // tenant ID
  std::string named_as;  // as the file names it (a domain or the ID)
  int line = 0;
  DesiredState state = DesiredState::present;
  graph::Policy desired;
};

struct PlanItem {
  std::string tenant;
  std::string named_as;
  int line = 0;              // 0 for a partner only --prune brought in
  PlanAction action = PlanAction::unchanged;
  bool create_partner = false;  // its partner configuration is created first (--create-partners)
  std::string display_name;     // what the table shows: the wanted name, else the current one
  graph::Policy body;           // PUT: every wanted property; PATCH: only the changed ones
  std::vector<PropertyChange> changes;
};

struct Plan {
  std::vector<PlanItem> items;
  std::size_t count(PlanAction action) const;
  std::size_t partners_to_create() const;
  // Nothing to write and nothing blocked: --detailed-exitcode's 0.
  bool empty() const;
};

// Items in the file's order, then (with prune) every other live policy to delete, by tenant ID.
Plan make_plan(const std::vector<WantedPartner>& wanted, const std::vector<graph::PartnerEntry>& live, bool prune,
               bool create_partners);

// The outcome of one plan item after a run.
struct ItemOutcome {
  enum class Status { done, failed, skipped } status = Status::skipped;
  std::optional<Error> error;  // failed: what Graph said; skipped: why it was not attempted
};
std::string_view status_name(ItemOutcome::Status status) noexcept;

struct RunProgress {
  std::size_t total = 0;  // requests the run has to make
  std::size_t done = 0;
  std::size_t failed = 0;
  std::size_t retries = 0;
  double per_second = 0;
};

struct RunOptions {
  int parallel = 4;  // connections, each with at most one batch in flight
  // Called about every 200 ms from the calling thread while the run goes on.
  std::function<void(const RunProgress&)> progress;
  // Each connection's own client (own transport), sharing credentials and retry budget.
  std::function<std::unique_ptr<graph::Client>()> make_client;
};

// Runs the plan's writes; the outcome of every item, in plan order. `client` reads the state
// back after a lost batch answer. Ctrl-C stops sending, lets batches in flight finish, and
// marks the rest skipped; the caller then reports 130.
std::vector<ItemOutcome> run_plan(const Plan& plan, graph::Client& client, const RunOptions& options);

}  // namespace xtsync::api
