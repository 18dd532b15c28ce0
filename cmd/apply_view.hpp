// How a plan and the outcomes of `apply` are shown: a table and a summary line for people,
// one JSON array (or TSV rows) for scripts.
#pragma once

#include <string>
#include <vector>

#include "api/apply.hpp"
#include "render/policy_view.hpp"

namespace xtsync::cli {

// "2 to create, 1 to update, 1 to delete, 46 unchanged" (and blocked, and partners to create).
std::string plan_summary(const api::Plan& plan);
// ACTION, PARTNER, DISPLAY NAME, CHANGES for every item that is not unchanged.
std::string plan_table(const api::Plan& plan);
// PARTNER, ACTION, STATUS, DETAIL for every item that was to be written, after a run.
std::string outcome_table(const api::Plan& plan, const std::vector<api::ItemOutcome>& outcomes);
// "3 done, 1 failed, 1 not attempted"
std::string outcome_summary(const api::Plan& plan, const std::vector<api::ItemOutcome>& outcomes);
// One object per partner: tenantId, action, changes, and (after a run) status and error.
std::string apply_json(const api::Plan& plan, const std::vector<api::ItemOutcome>* outcomes);
// One row per partner: tenant ID, action, status (empty in a dry run), error code.
std::string apply_tsv(const api::Plan& plan, const std::vector<api::ItemOutcome>* outcomes);

}  // namespace xtsync::cli
