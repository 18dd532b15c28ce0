// Talking to the Microsoft identity platform's OAuth 2.0 endpoints: form POSTs, token
// answers and the platform's error bodies turned into xtsync::Error with a fix-it hint.
#pragma once

#include <boost/json/object.hpp>
#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "auth/credential.hpp"
#include "error.hpp"

namespace xtsync::auth {

using FormFields = std::vector<std::pair<std::string, std::string>>;

// name=value&name=value with both sides percent-encoded.
std::string form_encode(const FormFields& form);

// A token's expiry from what an endpoint said: a lifetime in seconds (expires_in) or an epoch
// time (expires_on, exp). Clamped to within k_max_token_lifetime of `now`, so a hostile or
// broken value can neither overflow the clock nor keep a token cached for years.
inline constexpr std::chrono::hours k_max_token_lifetime{48};
std::chrono::system_clock::time_point expiry_after(std::chrono::system_clock::time_point now, std::int64_t seconds);
std::chrono::system_clock::time_point expiry_at(std::chrono::system_clock::time_point now, std::int64_t epoch);
// An epoch time read back from our own cache or the Azure CLI: only kept inside the clock's
// range (1970 to 2200), since the expiry itself decides when the token is renewed.
std::chrono::system_clock::time_point epoch_time(std::int64_t epoch);

// Whole seconds from a JSON number or a numeric string ("3599"); nullopt when absent or not numeric.
std::optional<std::int64_t> seconds_field(const boost::json::object& object, std::string_view key);

// One answer of the identity platform, successful or not.
struct IdentityReply {
  int status = 0;
  boost::json::object body;       // the parsed JSON answer
  std::string client_request_id;  // the one xtsync sent
  // OAuth error fields; `error` is empty on success.
  std::string error;
  std::string error_description;
  std::vector<std::int64_t> error_codes;
  std::string trace_id;
  std::string correlation_id;

  bool ok() const { return error.empty() && status >= 200 && status < 300; }
};

// Throws Error(throttled) naming `what` when the answer is 429, 503 or 504: what is left when
// the request path stopped retrying (exit code 6, as for Graph).
void throw_if_throttled(const http::Exchange& exchange, std::string_view what);

// POSTs the form to `url` (a token or device-code endpoint) and parses the JSON answer.
// Throws Error(auth) when the answer is not a JSON object; transport failures stay
// ErrorKind::network. Never puts the form in a message.
IdentityReply post_form(const AuthContext& ctx, const std::string& url, const FormFields& form);

// The Error(auth) for a failed reply: login host, `error`, AADSTS code, first line of the
// description, trace and correlation IDs, and a hint for the common codes. Values of secret
// fields in `sent` (client_secret, client_assertion, refresh_token, …) and anything that looks
// like a JWT are redacted, should the platform ever echo them.
Error identity_error(const std::string& url, const IdentityReply& reply, const FormFields& sent = {});

// What a successful token request returns.
struct TokenResponse {
  std::string access_token;
  std::string refresh_token;  // empty unless offline_access was granted
  std::string scope;
  std::chrono::system_clock::time_point expires_on;
};

// Reads a successful token answer; expires_on = ctx.now() + expires_in. Throws Error(auth)
// when there is no access_token.
TokenResponse parse_token_response(const AuthContext& ctx, const std::string& url,
                                   const IdentityReply& reply);

// POSTs the form to ctx.token_endpoint() and returns the token, or throws identity_error().
TokenResponse request_token_response(const AuthContext& ctx, const FormFields& form);
AccessToken request_token(const AuthContext& ctx, const FormFields& form);

// The client_credentials grant with a signed or federated JWT as the client assertion.
AccessToken request_token_with_assertion(const AuthContext& ctx, const std::string& assertion);

}  // namespace xtsync::auth
