// Client assertions at the emulated token endpoint: certificate-signed JWTs (PS256 and RS256,
// x5t#S256 and x5t) and federated credentials.
#include <doctest/doctest.h>

#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rsa.h>
#include <openssl/x509.h>

#include <boost/json/serialize.hpp>
#include <cstdio>
#include <filesystem>
#include <memory>

#include "test_emulator_identity_helpers.hpp"
#include "util/base64.hpp"
#include "util/guid.hpp"

using namespace emutest;

namespace {

using KeyPtr = std::unique_ptr<EVP_PKEY, decltype(&EVP_PKEY_free)>;
using CertPtr = std::unique_ptr<X509, decltype(&X509_free)>;

// An RSA key and a self-signed certificate for it, the certificate written to a temporary file.
struct RsaCredential {
  KeyPtr key{nullptr, &EVP_PKEY_free};
  CertPtr cert{nullptr, &X509_free};
  std::filesystem::path file;

  RsaCredential() {
    key.reset(EVP_RSA_gen(2048));
    REQUIRE(key);
    cert.reset(X509_new());
    X509_set_version(cert.get(), 2);
    ASN1_INTEGER_set(X509_get_serialNumber(cert.get()), 1);
    X509_gmtime_adj(X509_getm_notBefore(cert.get()), -3600);
    X509_gmtime_adj(X509_getm_notAfter(cert.get()), 86400);
    X509_NAME* name = X509_get_subject_name(cert.get());
    X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC, reinterpret_cast<const unsigned char*>("xtsync test client"),
                               -1, -1, 0);
    X509_set_issuer_name(cert.get(), name);
    X509_set_pubkey(cert.get(), key.get());
    REQUIRE(X509_sign(cert.get(), key.get(), EVP_sha256()) > 0);
    file = std::filesystem::temp_directory_path() / fmt::format("xtsync-client-{}.pem", xtsync::util::new_guid());
    FILE* out = std::fopen(file.c_str(), "w");
    REQUIRE(out);
    PEM_write_X509(out, cert.get());
    std::fclose(out);
  }
  ~RsaCredential() {
    std::error_code ec;
    std::filesystem::remove(file, ec);
  }
  RsaCredential(const RsaCredential&) = delete;
  RsaCredential& operator=(const RsaCredential&) = delete;

  std::string thumbprint(const EVP_MD* md) const {
    unsigned char digest[EVP_MAX_MD_SIZE];
    unsigned int size = 0;
    REQUIRE(X509_digest(cert.get(), md, digest, &size) == 1);
    return xtsync::util::base64url_encode(std::string(reinterpret_cast<const char*>(digest), size));
  }

  std::string sign(const std::string& alg, const std::string& input) const {
    std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)> ctx(EVP_MD_CTX_new(), &EVP_MD_CTX_free);
    EVP_PKEY_CTX* pctx = nullptr;
    REQUIRE(EVP_DigestSignInit(ctx.get(), &pctx, EVP_sha256(), nullptr, key.get()) == 1);
    if (alg == "PS256") {
      REQUIRE(EVP_PKEY_CTX_set_rsa_padding(pctx, RSA_PKCS1_PSS_PADDING) == 1);
      REQUIRE(EVP_PKEY_CTX_set_rsa_pss_saltlen(pctx, RSA_PSS_SALTLEN_DIGEST) == 1);
    }
    std::size_t size = 0;
    const auto* data = reinterpret_cast<const unsigned char*>(input.data());
    REQUIRE(EVP_DigestSign(ctx.get(), nullptr, &size, data, input.size()) == 1);
    std::string signature(size, '\0');
    REQUIRE(EVP_DigestSign(ctx.get(), reinterpret_cast<unsigned char*>(signature.data()), &size, data,
                           input.size()) == 1);
    signature.resize(size);
    return signature;
  }
};

struct Assertion {
  std::string alg = "PS256";
  bool sha1_thumbprint = false;
  json::object claims;
};

std::string token_url() {
  return fmt::format("{}/{}/oauth2/v2.0/token", k_base, k_tenant);
}

json::object standard_claims(long long now) {
  return json::object{{"aud", token_url()}, {"iss", k_client},   {"sub", k_client},
                      {"jti", xtsync::util::new_guid()}, {"nbf", now}, {"iat", now},
                      {"exp", now + 600}};
}

std::string make_assertion(const RsaCredential& credential, const Assertion& a) {
  json::object header{{"alg", a.alg}, {"typ", "JWT"}};
  if (a.sha1_thumbprint) {
    header["x5t"] = credential.thumbprint(EVP_sha1()) + "=";  // padded, as in the old documentation
  } else {
    header["x5t#S256"] = credential.thumbprint(EVP_sha256());
  }
  const std::string input = fmt::format("{}.{}", xtsync::util::base64url_encode(json::serialize(header)),
                                        xtsync::util::base64url_encode(json::serialize(a.claims)));
  return fmt::format("{}.{}", input, xtsync::util::base64url_encode(credential.sign(a.alg, input)));
}

std::string assertion_body(const std::string& assertion) {
  return fmt::format(
      "client_id={}&scope=https%3A%2F%2Fgraph.microsoft.com%2F.default&grant_type=client_credentials"
      "&client_assertion_type=urn%3Aietf%3Aparams%3Aoauth%3Aclient-assertion-type%3Ajwt-bearer"
      "&client_assertion={}",
      k_client, assertion);
}

}  // namespace

TEST_SUITE_BEGIN("emulator");

TEST_CASE("emulator::Identity certificate assertions") {
  static const RsaCredential credential;
  static const RsaCredential other;
  emu::IdentityOptions options;
  options.client_certs = {{k_client, credential.file.string()}};
  IdentityFixture f(options);
  const long long now = emu::Clock::to_time_t(f.now);
  Assertion a;
  a.claims = standard_claims(now);

  SUBCASE("PS256 with x5t#S256") {
    const auto response = f.token(assertion_body(make_assertion(credential, a)));
    CHECK(response.status == 200);
    CHECK(claims_of(str(body_of(response).at("access_token"))).at("appid") == k_client);
  }
  SUBCASE("RS256 with x5t (SHA-1), and the thumbprint with base64 padding") {
    a.alg = "RS256";
    a.sha1_thumbprint = true;
    CHECK(f.token(assertion_body(make_assertion(credential, a))).status == 200);
  }
  SUBCASE("the audience may name the tenant by the Host the client used") {
    Request request;
    request.method = "POST";
    request.url = "/contoso.onmicrosoft.com/oauth2/v2.0/token";
    request.headers = {{"Content-Type", "application/x-www-form-urlencoded"}, {"Host", "localhost:8080"}};
    a.claims["aud"] = "http://localhost:8080/contoso.onmicrosoft.com/oauth2/v2.0/token";
    request.body = assertion_body(make_assertion(credential, a));
    CHECK(f.emulator->handle(request).status == 200);
  }
  SUBCASE("a replayed jti is refused") {
    const std::string assertion = make_assertion(credential, a);
    REQUIRE(f.token(assertion_body(assertion)).status == 200);
    const auto replay = f.token(assertion_body(assertion));
    CHECK(replay.status == 401);
    CHECK(oauth_error(replay) == "invalid_client");
    CHECK(aadsts(replay) == 50013);
  }
  SUBCASE("the wrong audience is AADSTS700023") {
    a.claims["aud"] = fmt::format("https://login.microsoftonline.com/{}/oauth2/v2.0/token", k_tenant);
    const auto response = f.token(assertion_body(make_assertion(credential, a)));
    CHECK(response.status == 401);
    CHECK(oauth_error(response) == "invalid_client");
    CHECK(aadsts(response) == 700023);
  }
  SUBCASE("time range: expired, not yet valid, or longer than a day is AADSTS700024") {
    SUBCASE("expired") {
      a.claims["exp"] = now - 1;
      a.claims["nbf"] = now - 600;
      a.claims["iat"] = now - 600;
    }
    SUBCASE("nbf in the future beyond the skew") {
      a.claims["nbf"] = now + 301;
      a.claims["exp"] = now + 900;
    }
    SUBCASE("too long") {
      a.claims["exp"] = now + 86401;
    }
    const auto response = f.token(assertion_body(make_assertion(credential, a)));
    CHECK(response.status == 401);
    CHECK(aadsts(response) == 700024);
  }
  SUBCASE("nbf within the 5-minute skew is fine") {
    a.claims["nbf"] = now + 299;
    CHECK(f.token(assertion_body(make_assertion(credential, a))).status == 200);
  }
  SUBCASE("signed by another key, or naming another certificate, is AADSTS700027") {
    std::string forged = make_assertion(credential, a);
    const std::string by_other = make_assertion(other, a);
    forged = forged.substr(0, forged.rfind('.')) + by_other.substr(by_other.rfind('.'));
    const auto bad_signature = f.token(assertion_body(forged));
    CHECK(bad_signature.status == 401);
    CHECK(aadsts(bad_signature) == 700027);
    a.claims["jti"] = xtsync::util::new_guid();
    CHECK(aadsts(f.token(assertion_body(make_assertion(other, a)))) == 700027);
  }
  SUBCASE("PS256 header over an RS256 signature does not verify") {
    a.alg = "RS256";
    std::string assertion = make_assertion(credential, a);
    // Same claims, header claiming PS256: the signature no longer matches the signing input.
    Assertion ps = a;
    ps.alg = "PS256";
    const std::string pss = make_assertion(credential, ps);
    const std::string mixed = pss.substr(0, pss.rfind('.')) + assertion.substr(assertion.rfind('.'));
    CHECK(aadsts(f.token(assertion_body(mixed))) == 700027);
  }
  SUBCASE("iss or sub other than the client is AADSTS700021") {
    a.claims["sub"] = "someone";
    CHECK(aadsts(f.token(assertion_body(make_assertion(credential, a)))) == 700021);
  }
  SUBCASE("not a JWT is AADSTS50027") {
    const auto response = f.token(assertion_body("not.a-jwt"));
    CHECK(response.status == 401);
    CHECK(aadsts(response) == 50027);
  }
  SUBCASE("a secret is not a certificate") {
    const auto response = f.token(fmt::format(
        "client_id={}&scope=https%3A%2F%2Fgraph.microsoft.com%2F.default&client_secret=x&grant_type=client_credentials",
        k_client));
    CHECK(response.status == 401);
    CHECK(aadsts(response) == 7000215);
  }
}

TEST_CASE("emulator::Identity federated credentials") {
  emu::IdentityOptions options;
  options.federated_credentials = {{k_client, {"https://issuer.example", "system:serviceaccount:ns:sa"}}};
  IdentityFixture f(options);
  const long long now = emu::Clock::to_time_t(f.now);
  const auto external = [&](json::object claims) {
    // External tokens are not signature-checked: any signature will do.
    return fmt::format("{}.{}.{}", xtsync::util::base64url_encode(R"({"alg":"RS256","typ":"JWT","kid":"k"})"),
                       xtsync::util::base64url_encode(json::serialize(claims)), xtsync::util::base64url_encode("sig"));
  };
  json::object claims{{"iss", "https://issuer.example"},
                      {"sub", "system:serviceaccount:ns:sa"},
                      {"aud", json::array{"api://AzureADTokenExchange"}},
                      {"exp", now + 600}};

  SUBCASE("a match") {
    const auto response = f.token(assertion_body(external(claims)));
    REQUIRE(response.status == 200);
    CHECK(claims_of(str(body_of(response).at("access_token"))).at("roles") ==
          json::array{"Policy.ReadWrite.CrossTenantAccess"});
  }
  SUBCASE("the US Government and China audiences are federation audiences too") {
    claims["aud"] = "api://AzureADTokenExchangeUSGov";
    CHECK(f.token(assertion_body(external(claims))).status == 200);
    claims["aud"] = "api://AzureADTokenExchangeChina";
    CHECK(f.token(assertion_body(external(claims))).status == 200);
  }
  SUBCASE("mismatches are 400 invalid_client AADSTS70021") {
    SUBCASE("subject") { claims["sub"] = "system:serviceaccount:ns:other"; }
    SUBCASE("issuer") { claims["iss"] = "https://elsewhere.example"; }
    SUBCASE("audience") { claims["aud"] = "api://Something"; }
    const auto response = f.token(assertion_body(external(claims)));
    CHECK(response.status == 400);
    CHECK(oauth_error(response) == "invalid_client");
    CHECK(aadsts(response) == 70021);
    CHECK(str(body_of(response).at("error_description"))
              .starts_with("AADSTS70021: No matching federated identity record found for presented assertion."));
  }
  SUBCASE("expired is AADSTS700024") {
    claims["exp"] = now;
    const auto response = f.token(assertion_body(external(claims)));
    CHECK(response.status == 400);
    CHECK(aadsts(response) == 700024);
  }
}
