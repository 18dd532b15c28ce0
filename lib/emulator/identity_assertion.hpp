// Checking a client_assertion: a certificate-signed JWT the client made itself, or an external
// identity provider's JWT presented under a federated identity credential.
#pragma once

#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "emulator/identity_certificate.hpp"
#include "emulator/identity_jwt.hpp"
#include "emulator/time_format.hpp"

namespace xtsync::emulator {

inline constexpr std::string_view k_jwt_bearer = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";

// Clock skew allowed on nbf and iat.
inline constexpr std::chrono::minutes k_assertion_skew{5};
// Longest exp - nbf (or iat) accepted.
inline constexpr std::chrono::hours k_assertion_max_lifetime{24};

struct FederatedCredential {
  std::string issuer;
  std::string subject;
};

// The federated credential audiences of the global, US Government and China clouds.
bool is_federation_audience(std::string_view audience);

// Throws IdentityError(401 invalid_client, AADSTS 50027 / 700027 / 700021 / 700023 / 700024 /
// 50013) unless the assertion is signed (PS256 or RS256) by one of `certificates`, names it by
// x5t#S256 or x5t, has iss == sub == client_id, aud in `token_urls`, a valid time range and a jti
// not in `used_jti`. On success the jti is added to `used_jti`.
void verify_certificate_assertion(const Jwt& jwt, const std::vector<ClientCertificate>& certificates,
                                  std::string_view client_id, const std::vector<std::string>& token_urls,
                                  Clock::time_point now, std::set<std::string>& used_jti);

// Throws IdentityError(400 invalid_client, AADSTS70021 / 700024) unless iss and sub match one of
// `credentials`, aud is a federation audience and the assertion has not expired. The signature is
// not checked.
void verify_federated_assertion(const Jwt& jwt, const std::vector<FederatedCredential>& credentials,
                                Clock::time_point now);

}  // namespace xtsync::emulator
