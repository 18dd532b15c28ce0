// How policies look in each output format of the contract (table, json, tsv).
#pragma once

#include <string>
#include <vector>

#include "graph/policy.hpp"

namespace xtsync::render {

enum class Format { table, json, tsv };

// Parses "table" | "json" | "tsv"; throws Error(usage) otherwise.
Format parse_format(const std::string& name);

// with_deleted adds the DELETED column (deleted-item commands).
std::string policies(const std::vector<graph::Policy>& items, Format format, bool with_deleted);
// A single object: a one-row table, the bare JSON object, or one TSV line.
std::string policy(const graph::Policy& item, Format format, bool with_deleted);

}  // namespace xtsync::render
