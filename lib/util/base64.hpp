// RFC 4648 base64 in its two alphabets. One decoder serves both: strict (one alphabet) for
// what xtsync reads from servers, lenient (either alphabet) where the emulator must accept
// whatever a client sends.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace xtsync::util {

// §4 with '=' padding (x5c, Basic authentication).
std::string base64_encode(std::string_view bytes);
// §5 without padding (the JOSE form).
std::string base64url_encode(std::string_view bytes);

enum class Base64Alphabet {
  standard,  // + and /
  url,       // - and _
  either,    // both, mixed: lenient
};

// Accepts the text with or without '=' padding; nullopt on a character outside the alphabet
// or an impossible length.
std::optional<std::string> base64_decode(std::string_view text, Base64Alphabet alphabet);
inline std::optional<std::string> base64url_decode(std::string_view text) {
  return base64_decode(text, Base64Alphabet::url);
}

}  // namespace xtsync::util
