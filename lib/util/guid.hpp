// GUIDs: tenant IDs are validated as GUIDs and every request carries a fresh one.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace xtsync::util {

// A random (version 4) GUID in lower case, e.g. for client-request-id.
std::string new_guid();

// The canonical lower-case form of a GUID written as 8-4-4-4-12 hex digits (any case,
// optionally in braces); nullopt when the text is not such a GUID.
std::optional<std::string> normalize_guid(std::string_view text);

}  // namespace xtsync::util
