// The Graph API version a command talks to, parsed once, and the one rule about what needs beta.
#pragma once

#include <string>
#include <string_view>

namespace xtsync::graph {

enum class ApiVersion { beta, v1_0 };

// "beta" or "v1.0"; throws Error(usage) naming `where` (e.g. "XTSYNC_API_VERSION") otherwise.
ApiVersion parse_api_version(std::string_view text, std::string_view where = "--api-version");
// The path segment: "beta" or "v1.0".
std::string_view path_segment(ApiVersion version) noexcept;

// Deleted items, restore and purge exist in beta only: throws Error(usage) for `what` under v1.0,
// before anything is sent.
void require_beta(ApiVersion version, std::string_view what);

}  // namespace xtsync::graph
