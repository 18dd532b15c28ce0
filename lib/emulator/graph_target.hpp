// Splitting a Graph request target into version, path segments and OData query options.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace xtsync::emulator {

enum class ApiVersion { v1_0, beta };

std::string_view version_name(ApiVersion version) noexcept;

struct Target {
  // Decoded path segments after the leading '/', one trailing '/' dropped, and OData key syntax
  // (`partners('x')`, `partners(tenantId='x')`) split into `partners`, `x`.
  std::vector<std::string> segments;
  // Every query parameter, decoded, in order.
  std::vector<std::pair<std::string, std::string>> params;
};

// System query options by lower-case name without '$' ("select", "skiptoken", ...).
struct QueryOptions {
  std::vector<std::pair<std::string, std::string>> items;

  std::optional<std::string> get(std::string_view name) const;
};

// Throws GraphError(400) when the target is not a parseable origin-form or absolute URL.
Target parse_target(std::string_view target);

// The API version named by a path segment (case-insensitive), if it is one we serve.
std::optional<ApiVersion> parse_version(std::string_view segment);

// Reads the system query options from the raw query. Graph accepts them without the '$' prefix in
// beta; a query parameter that is not a system query option is ignored, as Graph does.
QueryOptions system_query_options(const Target& target, ApiVersion version);

}  // namespace xtsync::emulator
