#include "support/test_ca.hpp"

#include <openssl/bio.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rand.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <memory>
#include <stdexcept>
#include <system_error>
#include <utility>

namespace xtsync::test {

namespace {

struct FreeKey {
  void operator()(EVP_PKEY* key) const { EVP_PKEY_free(key); }
};
struct FreeCert {
  void operator()(X509* cert) const { X509_free(cert); }
};
struct FreeBio {
  void operator()(BIO* bio) const { BIO_free(bio); }
};
using KeyPtr = std::unique_ptr<EVP_PKEY, FreeKey>;
using CertPtr = std::unique_ptr<X509, FreeCert>;
using BioPtr = std::unique_ptr<BIO, FreeBio>;

[[noreturn]] void fail(const std::string& what) {
  const unsigned long code = ERR_get_error();
  char reason[256] = "unknown error";
  if (code != 0) ERR_error_string_n(code, reason, sizeof reason);
  ERR_clear_error();
  throw std::runtime_error("test CA: " + what + ": " + reason);
}

void check(int ok, const char* what) {
  if (ok != 1) fail(what);
}

KeyPtr new_key(KeyType type = KeyType::ec_p256) {
  // P-256 is quick to make; RSA is what Entra ID accepts for application certificates.
  KeyPtr key(type == KeyType::rsa2048 ? EVP_RSA_gen(2048) : EVP_EC_gen("P-256"));
  if (!key) fail("cannot generate a key");
  return key;
}

void add_extension(X509* cert, X509V3_CTX* ctx, int nid, const std::string& value) {
  X509_EXTENSION* ext = X509V3_EXT_conf_nid(nullptr, ctx, nid, value.c_str());
  if (ext == nullptr) fail("bad extension '" + value + "'");
  const int added = X509_add_ext(cert, ext, -1);
  X509_EXTENSION_free(ext);
  check(added, "cannot add an extension");
}

struct Subject {
  std::string common_name;
  std::string subject_alt_names;  // empty for the CA
  bool is_ca = false;
  std::chrono::seconds not_before{0};
  std::chrono::seconds not_after{0};
};

// Signs with issuer_key; a null issuer makes the certificate self-signed.
CertPtr make_certificate(const Subject& subject, EVP_PKEY* key, X509* issuer, EVP_PKEY* issuer_key) {
  CertPtr cert(X509_new());
  if (!cert) fail("X509_new");
  check(X509_set_version(cert.get(), 2), "cannot set the version");  // v3

  // Random serials, so certificates from two runs never look like the same one.
  unsigned char serial[16];
  check(RAND_bytes(serial, sizeof serial), "RAND_bytes");
  serial[0] &= 0x7f;  // keep it positive
  BIGNUM* number = BN_bin2bn(serial, sizeof serial, nullptr);
  const bool serial_ok =
      number != nullptr && BN_to_ASN1_INTEGER(number, X509_get_serialNumber(cert.get())) != nullptr;
  BN_free(number);
  if (!serial_ok) fail("cannot set the serial number");

  if (X509_gmtime_adj(X509_getm_notBefore(cert.get()), static_cast<long>(subject.not_before.count())) ==
          nullptr ||
      X509_gmtime_adj(X509_getm_notAfter(cert.get()), static_cast<long>(subject.not_after.count())) ==
          nullptr) {
    fail("cannot set the validity");
  }

  X509_NAME* name = X509_get_subject_name(cert.get());
  check(X509_NAME_add_entry_by_txt(name, "O", MBSTRING_UTF8,
                                   reinterpret_cast<const unsigned char*>("xtsync tests"), -1, -1, 0),
        "cannot set the organisation");
  check(X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_UTF8,
                                   reinterpret_cast<const unsigned char*>(subject.common_name.c_str()), -1,
                                   -1, 0),
        "cannot set the common name");
  check(X509_set_issuer_name(cert.get(), issuer != nullptr ? X509_get_subject_name(issuer) : name),
        "cannot set the issuer");
  check(X509_set_pubkey(cert.get(), key), "cannot set the public key");

  X509V3_CTX ctx;
  X509V3_set_ctx_nodb(&ctx);
  X509V3_set_ctx(&ctx, issuer != nullptr ? issuer : cert.get(), cert.get(), nullptr, nullptr, 0);
  add_extension(cert.get(), &ctx, NID_subject_key_identifier, "hash");
  if (issuer != nullptr) add_extension(cert.get(), &ctx, NID_authority_key_identifier, "keyid:always");
  if (subject.is_ca) {
    add_extension(cert.get(), &ctx, NID_basic_constraints, "critical,CA:TRUE");
    add_extension(cert.get(), &ctx, NID_key_usage, "critical,keyCertSign,cRLSign");
  } else {
    add_extension(cert.get(), &ctx, NID_basic_constraints, "critical,CA:FALSE");
    add_extension(cert.get(), &ctx, NID_key_usage, "critical,digitalSignature");
    add_extension(cert.get(), &ctx, NID_ext_key_usage, "serverAuth,clientAuth");
    add_extension(cert.get(), &ctx, NID_subject_alt_name, subject.subject_alt_names);
  }

  if (X509_sign(cert.get(), issuer_key != nullptr ? issuer_key : key, EVP_sha256()) <= 0) fail("cannot sign");
  return cert;
}

BioPtr open_for_writing(const std::string& path) {
  BioPtr bio(BIO_new_file(path.c_str(), "w"));
  if (!bio) fail("cannot create " + path);
  return bio;
}

void write_cert(const std::string& path, X509* cert) {
  auto bio = open_for_writing(path);
  check(PEM_write_bio_X509(bio.get(), cert), "cannot write a certificate");
}

void write_key(const std::string& path, EVP_PKEY* key) {
  auto bio = open_for_writing(path);
  check(PEM_write_bio_PrivateKey(bio.get(), key, nullptr, nullptr, 0, nullptr, nullptr),
        "cannot write a key");
  bio.reset();
  std::filesystem::permissions(path,
                               std::filesystem::perms::owner_read | std::filesystem::perms::owner_write);
}

KeyPtr read_key(const std::string& path) {
  BioPtr bio(BIO_new_file(path.c_str(), "r"));
  if (!bio) fail("cannot open " + path);
  KeyPtr key(PEM_read_bio_PrivateKey(bio.get(), nullptr, nullptr, nullptr));
  if (!key) fail("cannot read the key in " + path);
  return key;
}

CertPtr read_cert(const std::string& path) {
  BioPtr bio(BIO_new_file(path.c_str(), "r"));
  if (!bio) fail("cannot open " + path);
  CertPtr cert(PEM_read_bio_X509(bio.get(), nullptr, nullptr, nullptr));
  if (!cert) fail("cannot read the certificate in " + path);
  return cert;
}

std::string make_temp_dir() {
  std::string pattern = (std::filesystem::temp_directory_path() / "xtsync-test-ca-XXXXXX").string();
  if (mkdtemp(pattern.data()) == nullptr) {
    throw std::system_error(errno, std::generic_category(), "test CA: cannot create a temporary directory");
  }
  return pattern;
}

void remove_dir(std::string& dir) noexcept {
  if (dir.empty()) return;
  std::error_code ignored;
  std::filesystem::remove_all(dir, ignored);
  dir.clear();
}

constexpr const char* local_names = "DNS:localhost,IP:127.0.0.1";

}  // namespace

TestCa::TestCa(TestCa&& other) noexcept {
  *this = std::move(other);
}

TestCa& TestCa::operator=(TestCa&& other) noexcept {
  if (this != &other) {
    remove_dir(dir);
    dir = std::exchange(other.dir, {});
    ca_cert = std::move(other.ca_cert);
    ca_key = std::move(other.ca_key);
    server_cert = std::move(other.server_cert);
    server_key = std::move(other.server_key);
    wrong_host_cert = std::move(other.wrong_host_cert);
    wrong_host_key = std::move(other.wrong_host_key);
    untrusted_cert = std::move(other.untrusted_cert);
    untrusted_key = std::move(other.untrusted_key);
    expired_cert = std::move(other.expired_cert);
    expired_key = std::move(other.expired_key);
  }
  return *this;
}

TestCa::~TestCa() {
  remove_dir(dir);
}

CertificateFiles TestCa::issue(const std::string& name, const std::string& subject_alt_names,
                               std::chrono::seconds not_before, std::chrono::seconds not_after, KeyType type) const {
  const KeyPtr ca = read_key(ca_key);
  const CertPtr ca_certificate = read_cert(ca_cert);
  const KeyPtr key = new_key(type);
  const CertPtr cert = make_certificate({name, subject_alt_names, false, not_before, not_after}, key.get(),
                                        ca_certificate.get(), ca.get());
  CertificateFiles files{dir + "/" + name + ".pem", dir + "/" + name + ".key"};
  write_cert(files.cert, cert.get());
  write_key(files.key, key.get());
  return files;
}

std::string subject_hash_name(const std::string& cert_path) {
  const CertPtr cert = read_cert(cert_path);
  char name[32];
  std::snprintf(name, sizeof name, "%08lx.0", X509_subject_name_hash(cert.get()));
  return name;
}

TestCa make_test_ca() {
  TestCa ca;
  ca.dir = make_temp_dir();
  ca.ca_cert = ca.dir + "/ca.pem";
  ca.ca_key = ca.dir + "/ca.key";

  const KeyPtr root_key = new_key();
  const CertPtr root =
      make_certificate({"xtsync test CA", "", true, -std::chrono::hours(1), std::chrono::hours(24)},
                       root_key.get(), nullptr, nullptr);
  write_cert(ca.ca_cert, root.get());
  write_key(ca.ca_key, root_key.get());

  auto server = ca.issue("server", local_names);
  ca.server_cert = server.cert;
  ca.server_key = server.key;

  auto wrong = ca.issue("wrong-host", "DNS:wrong-host.test,IP:192.0.2.1");
  ca.wrong_host_cert = wrong.cert;
  ca.wrong_host_key = wrong.key;

  auto expired = ca.issue("expired", local_names, -std::chrono::hours(48), -std::chrono::hours(24));
  ca.expired_cert = expired.cert;
  ca.expired_key = expired.key;

  const KeyPtr untrusted_key = new_key();
  const CertPtr untrusted =
      make_certificate({"localhost", local_names, false, -std::chrono::hours(1), std::chrono::hours(24)},
                       untrusted_key.get(), nullptr, nullptr);
  ca.untrusted_cert = ca.dir + "/untrusted.pem";
  ca.untrusted_key = ca.dir + "/untrusted.key";
  write_cert(ca.untrusted_cert, untrusted.get());
  write_key(ca.untrusted_key, untrusted_key.get());
  return ca;
}

}  // namespace xtsync::test
