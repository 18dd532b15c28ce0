// JWTs as the emulated identity platform sees them: splitting and decoding a compact
// JWT, and minting the emulator's own tokens (RS256-shaped, with a random signature).
#pragma once

#include <boost/json/object.hpp>
#include <optional>
#include <string>
#include <string_view>

namespace xtsync::emulator {

// A compact JWS split into its parts. Nothing is verified here.
struct Jwt {
  boost::json::object header;
  boost::json::object payload;
  std::string signing_input;  // base64url(header) "." base64url(payload), as received
  std::string signature;      // raw bytes
};

// nullopt when the text is not three base64url parts with JSON-object header and payload.
std::optional<Jwt> parse_jwt(std::string_view text);

// base64url(header).base64url(payload).base64url(256 random bytes). Unique per call (the
// payload carries a fresh jti / uti, and the signature is random).
std::string mint_jwt(const boost::json::object& header, const boost::json::object& payload);

// Random bytes from OpenSSL's CSPRNG, for codes and refresh tokens.
std::string random_bytes(std::size_t count);

// Claim helpers: a string claim, or a numeric one (JWT NumericDate may be an integer or a double).
std::optional<std::string> string_claim(const boost::json::object& claims, std::string_view name);
std::optional<long long> numeric_claim(const boost::json::object& claims, std::string_view name);

}  // namespace xtsync::emulator
