#include <doctest/doctest.h>

#include <openssl/bio.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/pkcs12.h>
#include <openssl/rsa.h>
#include <openssl/x509.h>

#include <boost/json.hpp>
#include <cstring>
#include <fstream>
#include <iterator>
#include <memory>
#include <stdexcept>

#include "auth/client_certificate.hpp"
#include "auth/jwt.hpp"
#include "support/process.hpp"
#include "support/test_ca.hpp"
#include "test_auth_support.hpp"
#include "util/base64.hpp"
#include "util/openssl_handles.hpp"

using namespace xtsync;
using namespace xtsync::auth;
using namespace xtsync::util;
using namespace xtsync::auth_test;
namespace json = boost::json;

namespace {

void check_ok(int ok, const char* what) {
  if (ok != 1) throw std::runtime_error(what);
}

// An RSA certificate for `key`, signed by issuer_key (self-signed when null).
CertPtr make_cert(EVP_PKEY* key, const char* cn, X509* issuer, EVP_PKEY* issuer_key) {
  CertPtr cert(X509_new());
  check_ok(X509_set_version(cert.get(), 2), "version");
  ASN1_INTEGER_set(X509_get_serialNumber(cert.get()), 42);
  X509_gmtime_adj(X509_getm_notBefore(cert.get()), -3600);
  X509_gmtime_adj(X509_getm_notAfter(cert.get()), 86400);
  X509_NAME* name = X509_get_subject_name(cert.get());
  check_ok(X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_UTF8, reinterpret_cast<const unsigned char*>(cn),
                                      -1, -1, 0),
           "cn");
  check_ok(X509_set_issuer_name(cert.get(), issuer ? X509_get_subject_name(issuer) : name), "issuer");
  check_ok(X509_set_pubkey(cert.get(), key), "pubkey");
  if (X509_sign(cert.get(), issuer_key ? issuer_key : key, EVP_sha256()) <= 0)
    throw std::runtime_error("sign");
  return cert;
}

std::string pem_of(X509* cert) {
  BioPtr bio(BIO_new(BIO_s_mem()));
  check_ok(PEM_write_bio_X509(bio.get(), cert), "write cert");
  char* data = nullptr;
  const long n = BIO_get_mem_data(bio.get(), &data);
  return std::string(data, static_cast<std::size_t>(n));
}

std::string pem_of(EVP_PKEY* key, const char* password = nullptr) {
  BioPtr bio(BIO_new(BIO_s_mem()));
  if (password) {
    check_ok(PEM_write_bio_PKCS8PrivateKey(bio.get(), key, EVP_aes_256_cbc(), password,
                                           static_cast<int>(std::strlen(password)), nullptr, nullptr),
             "write encrypted key");
  } else {
    check_ok(PEM_write_bio_PrivateKey(bio.get(), key, nullptr, nullptr, 0, nullptr, nullptr), "write key");
  }
  char* data = nullptr;
  const long n = BIO_get_mem_data(bio.get(), &data);
  return std::string(data, static_cast<std::size_t>(n));
}

std::string der_of(X509* cert) {
  unsigned char* der = nullptr;
  const int n = i2d_X509(cert, &der);
  std::string out(reinterpret_cast<char*>(der), static_cast<std::size_t>(n));
  OPENSSL_free(der);
  return out;
}

std::string digest(const std::string& bytes, const EVP_MD* md) {
  unsigned char out[EVP_MAX_MD_SIZE];
  unsigned int n = 0;
  check_ok(EVP_Digest(bytes.data(), bytes.size(), out, &n, md, nullptr), "digest");
  return std::string(reinterpret_cast<char*>(out), n);
}

// An RSA CA, a leaf signed by it and a second unrelated RSA key; made once, keygen is slow.
struct RsaMaterial {
  KeyPtr ca_key{EVP_RSA_gen(2048)};
  CertPtr ca_cert = make_cert(ca_key.get(), "xtsync test CA", nullptr, nullptr);
  KeyPtr leaf_key{EVP_RSA_gen(2048)};
  CertPtr leaf_cert = make_cert(leaf_key.get(), "xtsync app", ca_cert.get(), ca_key.get());
  KeyPtr other_key{EVP_RSA_gen(2048)};
};

const RsaMaterial& rsa() {
  static const RsaMaterial material;
  return material;
}

struct Jwt {
  json::object header;
  json::object claims;
  std::string signing_input;
  std::string signature;
};

Jwt split(const std::string& assertion) {
  const auto a = assertion.find('.');
  const auto b = assertion.find('.', a + 1);
  REQUIRE(a != std::string::npos);
  REQUIRE(b != std::string::npos);
  Jwt jwt;
  jwt.header = json::parse(base64url_decode(assertion.substr(0, a)).value()).as_object();
  jwt.claims = decode_claims(assertion).value();
  jwt.signing_input = assertion.substr(0, b);
  jwt.signature = base64url_decode(assertion.substr(b + 1)).value();
  return jwt;
}

// Verifies the signature with the certificate's public key, as Entra ID would.
bool verify(const Jwt& jwt, X509* cert, bool pss) {
  std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)> md(EVP_MD_CTX_new(), EVP_MD_CTX_free);
  EVP_PKEY_CTX* pctx = nullptr;
  if (EVP_DigestVerifyInit(md.get(), &pctx, EVP_sha256(), nullptr, X509_get0_pubkey(cert)) != 1) return false;
  if (pss) {
    EVP_PKEY_CTX_set_rsa_padding(pctx, RSA_PKCS1_PSS_PADDING);
    EVP_PKEY_CTX_set_rsa_mgf1_md(pctx, EVP_sha256());
    EVP_PKEY_CTX_set_rsa_pss_saltlen(pctx, 32);  // exactly 32, not "any"
  } else {
    EVP_PKEY_CTX_set_rsa_padding(pctx, RSA_PKCS1_PADDING);
  }
  return EVP_DigestVerify(
             md.get(), reinterpret_cast<const unsigned char*>(jwt.signature.data()), jwt.signature.size(),
             reinterpret_cast<const unsigned char*>(jwt.signing_input.data()), jwt.signing_input.size()) == 1;
}

std::string write_pkcs12(const testing::TempDir& dir, const char* name, const char* password) {
  STACK_OF(X509)* ca = sk_X509_new_null();
  sk_X509_push(ca, rsa().ca_cert.get());
  PKCS12* p12 =
      PKCS12_create(password, "xtsync", rsa().leaf_key.get(), rsa().leaf_cert.get(), ca, 0, 0, 0, 0, 0);
  sk_X509_free(ca);
  REQUIRE(p12);
  const std::string path = dir.file(name);
  BioPtr bio(BIO_new_file(path.c_str(), "wb"));
  check_ok(i2d_PKCS12_bio(bio.get(), p12), "write p12");
  PKCS12_free(p12);
  return path;
}

CertificateOptions options_for(std::string path) {
  CertificateOptions options;
  options.path = std::move(path);
  return options;
}

std::string usage_message(AuthFixture& f, const CertificateOptions& options) {
  const Error e = error_of([&] { ClientCertificateCredential(f.context(), options); });
  CHECK(e.kind() == ErrorKind::usage);
  return e.what();
}

}  // namespace

TEST_SUITE_BEGIN("auth");

TEST_CASE_FIXTURE(AuthFixture,
                  "the certificate assertion is a PS256 JWT with x5t#S256 that the cert verifies") {
  testing::TempDir dir;
  // Key first, then the certificate: any order is accepted.
  const auto path = dir.write("app.pem", pem_of(rsa().leaf_key.get()) + pem_of(rsa().leaf_cert.get()));
  ClientCertificateCredential credential(context(), options_for(path));
  CHECK(credential.name() == "client-certificate");

  const Jwt jwt = split(credential.make_assertion());
  CHECK(jwt.header.at("alg").as_string() == "PS256");
  CHECK(jwt.header.at("typ").as_string() == "JWT");
  CHECK(jwt.header.at("x5t#S256").as_string() ==
        base64url_encode(digest(der_of(rsa().leaf_cert.get()), EVP_sha256())));
  CHECK_FALSE(jwt.header.contains("x5t"));
  CHECK_FALSE(jwt.header.contains("x5c"));
  CHECK(verify(jwt, rsa().leaf_cert.get(), true));
  CHECK_FALSE(verify(jwt, rsa().ca_cert.get(), true));

  const auto now = std::chrono::duration_cast<std::chrono::seconds>(kNow.time_since_epoch()).count();
  CHECK(jwt.claims.at("aud").as_string() == kTokenUrl);
  CHECK(jwt.claims.at("iss").as_string() == kClientId);
  CHECK(jwt.claims.at("sub").as_string() == kClientId);
  CHECK(jwt.claims.at("jti").as_string().size() == 36);
  CHECK(jwt.claims.at("nbf").as_int64() == now);
  CHECK(jwt.claims.at("iat").as_int64() == now);
  CHECK(jwt.claims.at("exp").as_int64() == now + 600);

  // Every assertion is new.
  CHECK(split(credential.make_assertion()).claims.at("jti") != jwt.claims.at("jti"));
}

TEST_CASE_FIXTURE(AuthFixture, "RS256 assertions carry the SHA-1 x5t and PKCS#1 v1.5 signatures") {
  testing::TempDir dir;
  auto options =
      options_for(dir.write("app.pem", pem_of(rsa().leaf_cert.get()) + pem_of(rsa().leaf_key.get())));
  options.algorithm = parse_assertion_algorithm("rs256");
  const Jwt jwt = split(ClientCertificateCredential(context(), options).make_assertion());
  CHECK(jwt.header.at("alg").as_string() == "RS256");
  CHECK(jwt.header.at("x5t").as_string() ==
        base64url_encode(digest(der_of(rsa().leaf_cert.get()), EVP_sha1())));
  CHECK_FALSE(jwt.header.contains("x5t#S256"));
  CHECK(verify(jwt, rsa().leaf_cert.get(), false));
  CHECK(error_of([] { parse_assertion_algorithm("ES256"); }).kind() == ErrorKind::usage);
}

TEST_CASE_FIXTURE(AuthFixture, "get_token sends a fresh assertion in the client_credentials grant") {
  testing::TempDir dir;
  const auto path = dir.write("app.pem", pem_of(rsa().leaf_cert.get()) + pem_of(rsa().leaf_key.get()));
  ClientCertificateCredential credential(context(), options_for(path));
  transport.respond(200, R"({"expires_in":3599,"access_token":"t1"})");
  transport.respond(200, R"({"expires_in":3599,"access_token":"t2"})");
  CHECK(credential.get_token().value == "t1");
  CHECK(credential.get_token().value == "t2");
  REQUIRE(transport.requests.size() == 2);
  std::string assertions[2];
  for (int i = 0; i < 2; ++i) {
    const auto& r = transport.requests[static_cast<std::size_t>(i)];
    CHECK(r.url == kTokenUrl);
    const std::string prefix =
        "client_id=" + kClientId +
        "&scope=https%3A%2F%2Fgraph.microsoft.com%2F.default"
        "&client_assertion_type=urn%3Aietf%3Aparams%3Aoauth%3Aclient-assertion-type%3Ajwt-bearer"
        "&client_assertion=";
    REQUIRE(r.body.starts_with(prefix));
    const auto end = r.body.find('&', prefix.size());
    CHECK(r.body.substr(end) == "&grant_type=client_credentials");
    assertions[i] = r.body.substr(prefix.size(), end - prefix.size());
    CHECK(verify(split(assertions[i]), rsa().leaf_cert.get(), true));
  }
  CHECK(assertions[0] != assertions[1]);
}

TEST_CASE_FIXTURE(AuthFixture,
                  "x5c carries the chain, leaf first, when AZURE_CLIENT_SEND_CERTIFICATE_CHAIN is set") {
  testing::TempDir dir;
  // The CA comes first in the file; the leaf is the certificate of the key.
  env["AZURE_CLIENT_CERTIFICATE_PATH"] =
      dir.write("chain.pem",
                pem_of(rsa().ca_cert.get()) + pem_of(rsa().leaf_key.get()) + pem_of(rsa().leaf_cert.get()));
  env["AZURE_CLIENT_SEND_CERTIFICATE_CHAIN"] = "True";
  const auto options = certificate_options_from_env(context());
  CHECK(options.send_chain);
  CHECK_FALSE(options.password);
  const Jwt jwt = split(ClientCertificateCredential(context(), options).make_assertion());
  const auto& x5c = jwt.header.at("x5c").as_array();
  REQUIRE(x5c.size() == 2);
  CHECK(x5c[0].as_string() == base64_encode(der_of(rsa().leaf_cert.get())));
  CHECK(x5c[1].as_string() == base64_encode(der_of(rsa().ca_cert.get())));
  CHECK(jwt.header.at("x5t#S256").as_string() ==
        base64url_encode(digest(der_of(rsa().leaf_cert.get()), EVP_sha256())));

  env["AZURE_CLIENT_SEND_CERTIFICATE_CHAIN"] = "1";
  CHECK(certificate_options_from_env(context()).send_chain);
  env["AZURE_CLIENT_SEND_CERTIFICATE_CHAIN"] = "false";
  CHECK_FALSE(certificate_options_from_env(context()).send_chain);
}

TEST_CASE_FIXTURE(AuthFixture, "PKCS#12 files load with their password") {
  testing::TempDir dir;
  auto options = options_for(write_pkcs12(dir, "app.pfx", "pfx-pass"));
  options.password = "pfx-pass";
  options.send_chain = true;
  const Jwt jwt = split(ClientCertificateCredential(context(), options).make_assertion());
  CHECK(verify(jwt, rsa().leaf_cert.get(), true));
  const auto& x5c = jwt.header.at("x5c").as_array();
  REQUIRE(x5c.size() == 2);
  CHECK(x5c[0].as_string() == base64_encode(der_of(rsa().leaf_cert.get())));

  options.password = "wrong";
  CHECK(usage_message(*this, options).find("wrong password") != std::string::npos);
  options.password.reset();
  CHECK(usage_message(*this, options).find("AZURE_CLIENT_CERTIFICATE_PASSWORD") != std::string::npos);

  // A PKCS#12 file without a password.
  auto open = options_for(write_pkcs12(dir, "open.pfx", nullptr));
  CHECK(verify(split(ClientCertificateCredential(context(), open).make_assertion()), rsa().leaf_cert.get(),
               true));
}

TEST_CASE_FIXTURE(AuthFixture, "encrypted PEM keys need the right password") {
  testing::TempDir dir;
  auto options = options_for(
      dir.write("enc.pem", pem_of(rsa().leaf_cert.get()) + pem_of(rsa().leaf_key.get(), "pem-pass")));
  CHECK(usage_message(*this, options).find("AZURE_CLIENT_CERTIFICATE_PASSWORD") != std::string::npos);
  options.password = "nope";
  CHECK(usage_message(*this, options).find("cannot decrypt") != std::string::npos);
  options.password = "pem-pass";
  CHECK(verify(split(ClientCertificateCredential(context(), options).make_assertion()), rsa().leaf_cert.get(),
               true));
}

TEST_CASE_FIXTURE(AuthFixture, "bad certificate files are usage errors that show no key material") {
  testing::TempDir dir;
  const std::string key_pem = pem_of(rsa().leaf_key.get());
  const std::string key_body = key_pem.substr(40, 40);  // a slice of the base64 key

  CHECK(usage_message(*this, options_for(dir.file("missing.pem"))).find("cannot read") != std::string::npos);
  CHECK(usage_message(*this, options_for(dir.write("empty.pem", ""))).find("empty") != std::string::npos);
  CHECK(usage_message(*this, options_for(dir.write("junk.bin", "not a certificate")))
            .find("neither a PEM file nor a PKCS#12") != std::string::npos);
  CHECK(usage_message(*this, options_for(dir.write("cert-only.pem", pem_of(rsa().leaf_cert.get()))))
            .find("no private key") != std::string::npos);
  const auto key_only = usage_message(*this, options_for(dir.write("key-only.pem", key_pem)));
  CHECK(key_only.find("no certificate") != std::string::npos);
  CHECK(key_only.find(key_body) == std::string::npos);
  const auto mismatch = usage_message(
      *this,
      options_for(dir.write("mismatch.pem", pem_of(rsa().leaf_cert.get()) + pem_of(rsa().other_key.get()))));
  CHECK(mismatch.find("matches none") != std::string::npos);

  // The shared test CA makes P-256 keys; Entra ID takes RSA only.
  const auto ca = xtsync::test::make_test_ca();
  std::string ec_pem;
  for (const auto* file : {&ca.server_cert, &ca.server_key}) {
    std::ifstream in(*file);
    ec_pem.append(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
  }
  const auto ec = usage_message(*this, options_for(dir.write("ec.pem", ec_pem)));
  CHECK(ec.find("EC key") != std::string::npos);
  CHECK(ec.find("RSA") != std::string::npos);

  CHECK(usage_message(*this, options_for("")).find("AZURE_CLIENT_CERTIFICATE_PATH") != std::string::npos);
}

TEST_SUITE_END();
