// Responses in the Microsoft identity platform's shape: token JSON and the OAuth error body with
// its AADSTS code, trace and correlation ids.
#pragma once

#include <boost/json/object.hpp>
#include <stdexcept>
#include <string>
#include <string_view>

#include "emulator/time_format.hpp"
#include "http/message.hpp"

namespace xtsync::emulator {

// Per-request correlation for the identity endpoints.
struct IdentityContext {
  std::string trace_id;        // fresh per request (also x-ms-request-id)
  std::string correlation_id;  // the client-request-id header, echoed, else fresh
  Clock::time_point now;
};

IdentityContext make_identity_context(const http::Request& request, Clock::time_point now);

// An OAuth error from the token or device-code endpoint, e.g. 400 invalid_scope AADSTS70011.
class IdentityError : public std::runtime_error {
 public:
  IdentityError(int status, std::string error, int aadsts, const std::string& text)
      : std::runtime_error(text), status_(status), error_(std::move(error)), aadsts_(aadsts) {}

  int status() const noexcept { return status_; }
  const std::string& error() const noexcept { return error_; }
  int aadsts() const noexcept { return aadsts_; }

 private:
  int status_;
  std::string error_;
  int aadsts_;
};

// "2016-01-09 02:02:12Z": the identity platform's timestamp format.
std::string identity_timestamp(Clock::time_point t);

// {"error","error_description":"AADSTSn: text\r\nTrace ID…\r\nCorrelation ID…\r\nTimestamp…",
//  "error_codes":[n],"timestamp","trace_id","correlation_id","error_uri"}
http::Response identity_error(const IdentityError& error, const IdentityContext& ctx, std::string_view base_url);

// JSON with the identity platform's headers (no-store caching, x-ms-request-id, client-request-id).
http::Response identity_json(int status, const boost::json::object& body, const IdentityContext& ctx);

// Plain JSON for the token providers that are not the identity platform (GitHub, managed identity).
http::Response provider_json(int status, const boost::json::object& body, Clock::time_point now);

}  // namespace xtsync::emulator
