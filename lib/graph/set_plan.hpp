// The logic of `xtsync set`: what the user wants, compared with what Graph has, decides
// between PUT (create), PATCH of only the differing properties, and no write at all.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "graph/policy.hpp"

namespace xtsync::graph {

// The field flags of `set`; each is unset unless given.
struct FieldFlags {
  std::optional<std::string> display_name;
  std::optional<bool> user_sync;
  std::optional<bool> group_sync;
  std::optional<std::string> external_cloud_app_id;
};

// Merges a --from-file JSON document (Graph's shape; may be empty) with the flags, which win.
// Read-only properties a `get -o json` output carries (tenantId, deletedDateTime) are dropped;
// a tenantId naming another partner than `tenant` (unless empty: not resolved yet), bad JSON, wrong types, beta-only properties under v1.0
// and an empty request are usage errors.
Policy desired_policy(const std::optional<std::string>& file_text, const std::string& file_name,
                      const FieldFlags& flags, const std::string& tenant, bool beta);

enum class SetAction { create, update, unchanged };
// "create", "update" or "unchanged": the plan's words, the same as apply's plan uses.
const char* action_name(SetAction action);


struct SetPlan {
  SetAction action = SetAction::unchanged;
  Policy body;                        // PUT: every wanted property; PATCH: only the changed ones
  std::vector<std::string> changed;   // JSON names of the properties that will be written
};

SetPlan plan_set(const std::optional<Policy>& current, const Policy& desired);

}  // namespace xtsync::graph
