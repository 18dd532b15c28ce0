#include "emulator/identity_assertion.hpp"
#include "util/base64.hpp"

#include <fmt/format.h>
#include <algorithm>

#include "emulator/identity_response.hpp"
#include "util/strings.hpp"

namespace xtsync::emulator {

namespace json = boost::json;

namespace {

[[noreturn]] void reject(int aadsts, const std::string& text) {
  throw IdentityError(401, "invalid_client", aadsts, text);
}

std::vector<std::string> audiences_of(const json::object& claims) {
  std::vector<std::string> out;
  const auto* aud = claims.if_contains("aud");
  if (!aud) return out;
  if (aud->is_string()) out.emplace_back(aud->as_string());
  if (aud->is_array()) {
    for (const auto& item : aud->as_array()) {
      if (item.is_string()) out.emplace_back(item.as_string());
    }
  }
  return out;
}

long long seconds(Clock::time_point t) {
  return std::chrono::duration_cast<std::chrono::seconds>(t.time_since_epoch()).count();
}

std::string unix_time_text(long long t) {
  return identity_timestamp(Clock::time_point(std::chrono::seconds(t)));
}

// The certificate the header names, by SHA-256 or SHA-1 thumbprint.
const ClientCertificate* named_certificate(const json::object& header,
                                           const std::vector<ClientCertificate>& certificates,
                                           std::string& thumbprint) {
  const auto s256 = string_claim(header, "x5t#S256");
  const auto s1 = string_claim(header, "x5t");
  thumbprint = s256 ? *s256 : s1.value_or("");
  const auto digest = util::base64_decode(thumbprint, util::Base64Alphabet::either);
  if (!digest) return nullptr;
  for (const auto& cert : certificates) {
    if (s256 ? *digest == cert.sha256() : (s1 && *digest == cert.sha1())) return &cert;
  }
  return nullptr;
}

}  // namespace

bool is_federation_audience(std::string_view audience) {
  return audience == "api://AzureADTokenExchange" || audience == "api://AzureADTokenExchangeUSGov" ||
         audience == "api://AzureADTokenExchangeChina";
}

void verify_certificate_assertion(const Jwt& jwt, const std::vector<ClientCertificate>& certificates,
                                  std::string_view client_id, const std::vector<std::string>& token_urls,
                                  Clock::time_point now, std::set<std::string>& used_jti) {
  const auto& claims = jwt.payload;
  const auto alg = string_claim(jwt.header, "alg").value_or("");
  if (alg != "PS256" && alg != "RS256") {
    reject(700027, fmt::format("Client assertion failed signature validation. [Reason - The signing algorithm "
                               "'{}' is not supported; use PS256 or RS256.]",
                               alg));
  }
  std::string thumbprint;
  const ClientCertificate* cert = named_certificate(jwt.header, certificates, thumbprint);
  if (!cert) {
    reject(700027, fmt::format("Client assertion failed signature validation. [Reason - The key was not found., "
                               "Thumbprint of key used by client: '{}', Please visit the Azure Portal, Graph "
                               "Explorer or directly use MS Graph to see configured keys for app Id '{}'.]",
                               thumbprint, client_id));
  }
  if (!cert->verify(alg, jwt.signing_input, jwt.signature)) {
    reject(700027, "Client assertion contains an invalid signature. [Reason - The signature does not verify with "
                   "the key of the certificate named by the thumbprint.]");
  }
  const auto iss = string_claim(claims, "iss");
  const auto sub = string_claim(claims, "sub");
  if (!iss || !sub || !util::iequals(*iss, client_id) || !util::iequals(*sub, client_id)) {
    reject(700021, "Client assertion application identifier doesn't match 'client_id' parameter. Review the "
                   "documentation at https://learn.microsoft.com/entra/identity-platform/certificate-credentials .");
  }
  const auto audiences = audiences_of(claims);
  const bool aud_ok = std::any_of(audiences.begin(), audiences.end(), [&](const std::string& aud) {
    return std::find(token_urls.begin(), token_urls.end(), aud) != token_urls.end();
  });
  if (!aud_ok) {
    reject(700023, fmt::format("Client assertion audience claim does not match Realm issuer. Expected '{}'. "
                               "Review the documentation at "
                               "https://learn.microsoft.com/entra/identity-platform/certificate-credentials .",
                               token_urls.empty() ? std::string() : token_urls.front()));
  }
  const auto exp = numeric_claim(claims, "exp");
  if (!exp) reject(50027, "JWT token is invalid or malformed. The assertion has no 'exp' claim.");
  const auto nbf = numeric_claim(claims, "nbf");
  const auto iat = numeric_claim(claims, "iat");
  const long long t = seconds(now);
  const long long skew = std::chrono::seconds(k_assertion_skew).count();
  const long long start = nbf ? *nbf : iat ? *iat : t;
  const bool in_range = *exp > t && (!nbf || *nbf <= t + skew) && (!iat || *iat <= t + skew) &&
                        *exp - start <= std::chrono::seconds(k_assertion_max_lifetime).count();
  if (!in_range) {
    reject(700024, fmt::format("Client assertion is not within its valid time range. Current time: {}, assertion "
                               "valid from {}, expiry time of assertion {}.",
                               unix_time_text(t), unix_time_text(start), unix_time_text(*exp)));
  }
  const auto jti = string_claim(claims, "jti");
  if (!jti || jti->empty()) reject(50027, "JWT token is invalid or malformed. The assertion has no 'jti' claim.");
  if (!used_jti.insert(*jti).second) {
    reject(50013, fmt::format("Assertion is invalid. [Reason - The assertion with jti '{}' was already used; "
                              "make a new assertion for every request.]",
                              *jti));
  }
}

void verify_federated_assertion(const Jwt& jwt, const std::vector<FederatedCredential>& credentials,
                                Clock::time_point now) {
  const auto& claims = jwt.payload;
  const auto iss = string_claim(claims, "iss").value_or("");
  const auto sub = string_claim(claims, "sub").value_or("");
  const auto audiences = audiences_of(claims);
  const bool matched =
      std::any_of(credentials.begin(), credentials.end(),
                  [&](const FederatedCredential& c) { return c.issuer == iss && c.subject == sub; }) &&
      std::any_of(audiences.begin(), audiences.end(), [](const std::string& a) { return is_federation_audience(a); });
  if (!matched) {
    throw IdentityError(
        400, "invalid_client", 70021,
        fmt::format("No matching federated identity record found for presented assertion. Assertion Issuer: '{}'. "
                    "Assertion Subject: '{}'. Assertion Audience: '{}'. "
                    "https://learn.microsoft.com/entra/workload-id/workload-identity-federation",
                    iss, sub, fmt::join(audiences, ",")));
  }
  const auto exp = numeric_claim(claims, "exp");
  const auto nbf = numeric_claim(claims, "nbf");
  const long long t = seconds(now);
  if (!exp || *exp <= t || (nbf && *nbf > t + std::chrono::seconds(k_assertion_skew).count())) {
    throw IdentityError(400, "invalid_client", 700024,
                        fmt::format("Client assertion is not within its valid time range. Current time: {}, expiry "
                                    "time of assertion {}.",
                                    unix_time_text(t), exp ? unix_time_text(*exp) : std::string("(none)")));
  }
}

}  // namespace xtsync::emulator
