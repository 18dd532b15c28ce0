// DNS domain names as partners are named by people ("fabrikam.com"): checked before anything
// is sent, since they go into a Graph URL.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace xtsync::util {

// The lower-case name without a trailing dot, when `text` is a plausible domain name: labels of
// letters, digits and hyphens (not at a label's ends), at least two labels, at most 253
// characters; nullopt otherwise.
std::optional<std::string> normalize_domain_name(std::string_view text);

}  // namespace xtsync::util
