// `set`: read the policy, check the partner, plan, write only what differs, read back.
#pragma once

#include <boost/json/value.hpp>
#include <optional>
#include <string>
#include <vector>

#include "graph/client.hpp"
#include "graph/set_plan.hpp"

namespace xtsync::api {

struct SetInput {
  std::string tenant;  // the partner, as a canonical tenant ID
  graph::FieldFlags flags;
  std::optional<std::string> file_text;  // --from-file's content, if given
  std::string file_label;                // how messages name that file
  bool create_partner = false;           // create a missing partner configuration first
  bool dry_run = false;                  // plan only; send no write
};

// A write the plan makes (or, in a dry run, would make).
struct PlannedRequest {
  std::string method;
  std::string url;
  boost::json::value body;
};

struct SetOutcome {
  graph::SetAction action = graph::SetAction::unchanged;
  std::vector<std::string> changed;      // JSON names of the properties written
  bool partner_created = false;          // (or, in a dry run, would be)
  std::vector<PlannedRequest> requests;  // the writes, in order
  // When the policy is created while a soft-deleted copy sits in deleted items: when that copy
  // was deleted (empty if Graph did not say), so the caller can warn that restore is the way back.
  std::optional<std::string> deleted_copy;
  graph::Policy policy;                  // the policy afterwards (the current one in a dry run)
};

// The input checked and turned into the wanted policy; pure, so bad input fails before any
// credential or network is touched. Throws Error(usage).
struct SetRequest {
  std::string tenant;
  graph::Policy desired;
  bool create_partner = false;
  bool dry_run = false;
  bool look_for_deleted_copy = false;  // beta only: deleted items are a beta API
};
SetRequest prepare_set(const SetInput& input, graph::ApiVersion version);

// Throws Error(not_found) naming --create-partner when the partner configuration is missing,
// and whatever the client throws.
SetOutcome set_policy(graph::Client& client, const SetRequest& request);

}  // namespace xtsync::api
