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
std::string policies(const std::vector<graph::Policy>& items, Format format, bool with_deleted);
// A single object: a one-row table, the bare JSON object, or one TSV line.
std::string policy(const graph::Policy& item, Format format, bool with_deleted);

// The same as policies(), written as the items arrive: JSON and TSV text for each item at
// once, so a long listing is never held in memory; a table needs every row for its widths
// and comes out at the end.
class PolicyListWriter {
 public:
  PolicyListWriter(Format format, bool with_deleted) : format_(format), with_deleted_(with_deleted) {}
  std::string add(const graph::Policy& item);
  std::string finish();

 private:
  Format format_;
  bool with_deleted_;
  JsonArrayWriter json_;
  std::vector<Row> rows_;
};

}  // namespace xtsync::render
