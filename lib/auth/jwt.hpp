// JSON Web Token helpers: reading a token's claims without verifying it, and redacting tokens.
// Verification is the identity platform's and Graph's job; xtsync only reads a token's
// expiry and identity for `auth status`.
#pragma once

#include <boost/json/object.hpp>
#include <optional>
#include <string>
#include <string_view>

#include "util/redact.hpp"

namespace xtsync::auth {

// The payload of a compact JWS (header.payload.signature) as a JSON object; nullopt when the
// text is not three dot-separated parts or the payload is not a JSON object.
std::optional<boost::json::object> decode_claims(std::string_view jwt);

// Redaction of JWT-shaped text lives with the other redaction rules.
using util::redact_jwts;

}  // namespace xtsync::auth
