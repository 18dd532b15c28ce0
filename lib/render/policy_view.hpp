// How policies look in each output format of the contract (table, json, tsv).
#pragma once

#include <string>
#include <vector>

#include "graph/policy.hpp"
#include "render/json_pretty.hpp"
#include "render/table.hpp"

namespace xtsync::render {

enum class Format { table, json, tsv };

// Parses "table" | "json" | "tsv"; throws Error(usage) otherwise.
Format parse_format(const std::string& name);

// with_deleted adds the DELETED column (deleted-item commands).
std::string policies(const std::vector<graph::Policy>& items, Format format, bool with_deleted,
                     const TableStyle& style = {});
// A single object: a key/value table of every property, the bare JSON object, or one TSV line.
std::string policy(const graph::Policy& item, Format format, bool with_deleted, const TableStyle& style = {});

// What a write did, for scripts (set --show-outcome).
struct Outcome {
  std::string outcome;                // created | updated | unchanged
  std::vector<std::string> changed;   // JSON names of the properties written
  bool partner_created = false;
};
// The policy after that summary: {"outcome","changed","partnerCreated","policy"} in JSON; the
// outcome, comma-joined changes and true/false ahead of the policy's TSV columns; or OUTCOME,
// CHANGED and PARTNER CREATED rows ahead of its key/value table.
std::string policy_outcome(const Outcome& outcome, const graph::Policy& item, Format format,
                           const TableStyle& style = {});

// The same as policies(), written as the items arrive: JSON and TSV text for each item at
// once, so a long listing is never held in memory; a table needs every row for its widths
// and comes out at the end.
class PolicyListWriter {
 public:
  PolicyListWriter(Format format, bool with_deleted, TableStyle style = {})
      : format_(format), with_deleted_(with_deleted), style_(style) {}
  // Whether any item was added (an empty table says so on stderr instead of a bare header).
  bool empty() const { return count_ == 0; }
  std::string add(const graph::Policy& item);
  std::string finish();

 private:
  Format format_;
  bool with_deleted_;
  TableStyle style_;
  std::size_t count_ = 0;
  JsonArrayWriter json_;
  std::vector<Row> rows_;
};

}  // namespace xtsync::render
