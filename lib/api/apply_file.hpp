// The `apply` file format (contract: "`list`, `export`, `apply`"): YAML or JSON text turned into
// validated entries, and entries written back for `export`. Pure: no Graph, no files.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "graph/api_version.hpp"
#include "graph/policy.hpp"

namespace xtsync::api {

enum class DesiredState { present, absent };

struct ApplyEntry {
  std::string tenant;  // as written: a tenant ID (lower-cased GUID) or a domain name (lower-cased)
  int line = 0;        // 1-based line of the entry (its "tenant" key) in the file
  DesiredState state = DesiredState::present;
  graph::Policy desired;  // only the properties the entry names (absent = not managed)
};

struct ApplyDocument {
  int version = 1;
  std::vector<ApplyEntry> partners;
};

// YAML or JSON, told apart by nothing: a JSON document is a YAML flow document too.
// Throws Error(usage) ("FILE:LINE: key 'x': why", naming `file_label`) for any violation.
ApplyDocument parse_apply_file(std::string_view text, const std::string& file_label, graph::ApiVersion version);

enum class FileFormat { yaml, json };

struct ExportHeader {
  std::string exported_at;
  std::string tenant;
  std::string api_version;
  std::string graph_root;
};

// The entries (tenant = the partner's tenant ID, desired = its live policy) sorted by tenant,
// each with every property the API version has that the live policy sets, such that
// parse_apply_file(write_apply_file(x)) gives back equivalent data. YAML starts with a comment
// line from the header; JSON has no comments, so it carries none. Properties outside the format
// (tenant_id, deleted_date_time, extra) are left out. Throws Error(failure) for a string that is
// not UTF-8 (Graph's answers always are), which no file could carry.
std::string write_apply_file(std::vector<ApplyEntry> entries, FileFormat format, const ExportHeader& header,
                             graph::ApiVersion version);

}  // namespace xtsync::api
