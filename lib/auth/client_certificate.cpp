#include "auth/client_certificate.hpp"

#include <openssl/bio.h>
#include <openssl/crypto.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/pkcs12.h>
#include <openssl/rsa.h>
#include <openssl/x509.h>

#include <algorithm>
#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <boost/json/serialize.hpp>
#include <chrono>
#include <vector>

#include "auth/jwt.hpp"
#include "auth/token_endpoint.hpp"
#include "error.hpp"
#include "util/base64.hpp"
#include "util/file.hpp"
#include "util/guid.hpp"
#include "util/openssl_handles.hpp"
#include "util/strings.hpp"
#include "util/redact.hpp"

namespace xtsync::auth {

namespace json = boost::json;

namespace {

using util::BioPtr;
using util::CertPtr;
using util::KeyPtr;
using util::MdCtxPtr;
using util::P12Ptr;

// The file's bytes hold a private key: wipe them however the loading ends.
struct SecretBytes {
  std::string bytes;
  ~SecretBytes() {
    if (!bytes.empty()) OPENSSL_cleanse(bytes.data(), bytes.size());
  }
};

// OpenSSL's queue would otherwise carry our failures into unrelated later calls (TLS).
Error usage_failure(const std::string& message) {
  ERR_clear_error();
  return usage_error(message);
}

// Never lets OpenSSL prompt on the terminal: no password means "no password".
int password_callback(char* buffer, int size, int /*rwflag*/, void* user) {
  const auto* password = static_cast<const std::string*>(user);
  if (!password || password->empty() || static_cast<int>(password->size()) > size) return -1;
  password->copy(buffer, password->size());
  return static_cast<int>(password->size());
}

BioPtr memory_bio(std::string_view bytes) {
  BioPtr bio(BIO_new_mem_buf(bytes.data(), static_cast<int>(bytes.size())));
  if (!bio) throw std::bad_alloc();
  return bio;
}

std::string der_of(X509* cert) {
  unsigned char* der = nullptr;
  const int length = i2d_X509(cert, &der);
  if (length <= 0) throw Error(ErrorKind::failure, "cannot encode the certificate");
  std::string out(reinterpret_cast<const char*>(der), static_cast<std::size_t>(length));
  OPENSSL_free(der);
  return out;
}

std::string digest_of(std::string_view bytes, const EVP_MD* md) {
  unsigned char out[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  if (EVP_Digest(bytes.data(), bytes.size(), out, &length, md, nullptr) != 1) {
    ERR_clear_error();
    throw Error(ErrorKind::failure, "cannot hash the certificate");
  }
  return std::string(reinterpret_cast<const char*>(out), length);
}

std::string key_type_name(EVP_PKEY* key) {
  switch (EVP_PKEY_base_id(key)) {
    case EVP_PKEY_EC:
      return "an EC";
    case EVP_PKEY_ED25519:
      return "an Ed25519";
    case EVP_PKEY_ED448:
      return "an Ed448";
    case EVP_PKEY_DSA:
      return "a DSA";
    case EVP_PKEY_RSA_PSS:
      return "an RSA-PSS-only";
    default:
      return "a non-RSA";
  }
}

// What a certificate file holds.
struct KeyAndCertificates {
  KeyPtr key;
  std::vector<CertPtr> chain;  // the leaf is moved first after loading
  std::string source;          // the file name, for messages
};

// The PEM blocks of a file: certificates and private keys in any order.
void load_pem(KeyAndCertificates& out, std::string_view text, const std::optional<std::string>& password) {
  const std::string where = "'" + out.source + "'";
  std::size_t at = 0;
  while ((at = text.find("-----BEGIN ", at)) != std::string_view::npos) {
    const auto label_end = text.find("-----", at + 11);
    if (label_end == std::string_view::npos) break;
    const std::string_view label = text.substr(at + 11, label_end - at - 11);
    std::string end_marker = "-----END ";
    end_marker.append(label);
    end_marker.append("-----");
    const auto end = text.find(end_marker, label_end);
    if (end == std::string_view::npos)
      throw usage_failure("the PEM block '" + std::string(label) + "' in " + where + " is not closed");
    const std::string_view block = text.substr(at, end + end_marker.size() - at);
    at = end + end_marker.size();

    auto bio = memory_bio(block);
    if (label == "CERTIFICATE" || label == "X509 CERTIFICATE" || label == "TRUSTED CERTIFICATE") {
      CertPtr cert(label == "TRUSTED CERTIFICATE"
                       ? PEM_read_bio_X509_AUX(bio.get(), nullptr, nullptr, nullptr)
                       : PEM_read_bio_X509(bio.get(), nullptr, nullptr, nullptr));
      if (!cert) throw usage_failure("a certificate in " + where + " cannot be read");
      out.chain.push_back(std::move(cert));
    } else if (label.ends_with("PRIVATE KEY")) {
      if (out.key) throw usage_failure(where + " holds more than one private key");
      const bool encrypted =
          label == "ENCRYPTED PRIVATE KEY" || block.find("Proc-Type: 4,ENCRYPTED") != std::string_view::npos;
      if (encrypted && (!password || password->empty())) {
        throw usage_failure("the private key in " + where +
                            " is encrypted: set AZURE_CLIENT_CERTIFICATE_PASSWORD");
      }
      const std::string* pass = password ? &*password : nullptr;
      out.key.reset(
          PEM_read_bio_PrivateKey(bio.get(), nullptr, password_callback, const_cast<std::string*>(pass)));
      if (!out.key) {
        throw usage_failure(encrypted ? "cannot decrypt the private key in " + where +
                                            ": is AZURE_CLIENT_CERTIFICATE_PASSWORD right?"
                                      : "the private key in " + where + " cannot be read");
      }
    }
    // Other blocks (parameters, CRLs) are not ours to judge.
  }
}

void load_pkcs12(KeyAndCertificates& out, std::string_view bytes,
                 const std::optional<std::string>& password) {
  const std::string where = "'" + out.source + "'";
  auto bio = memory_bio(bytes);
  P12Ptr p12(d2i_PKCS12_bio(bio.get(), nullptr));
  if (!p12) throw usage_failure(where + " is neither a PEM file nor a PKCS#12 (.pfx) file");
  // An empty password and no password are different MACs; try what the user gave first.
  const char* pass = password ? password->c_str() : nullptr;
  if (PKCS12_verify_mac(p12.get(), pass, -1) != 1) {
    if (!password && PKCS12_verify_mac(p12.get(), "", 0) == 1) {
      pass = "";
    } else {
      throw usage_failure(password
                              ? "wrong password for " + where + ": check AZURE_CLIENT_CERTIFICATE_PASSWORD"
                              : where + " needs a password: set AZURE_CLIENT_CERTIFICATE_PASSWORD");
    }
  }
  EVP_PKEY* key = nullptr;
  X509* cert = nullptr;
  STACK_OF(X509)* extra = nullptr;
  if (PKCS12_parse(p12.get(), pass, &key, &cert, &extra) != 1) {
    throw usage_failure("cannot read " + where + " (a PKCS#12 file with an unsupported algorithm?)");
  }
  out.key.reset(key);
  if (cert) out.chain.emplace_back(cert);
  for (int i = 0; extra && i < sk_X509_num(extra); ++i) out.chain.emplace_back(sk_X509_value(extra, i));
  sk_X509_free(extra);  // the certificates now belong to out.chain
}

}  // namespace

struct ClientCertificateCredential::Loaded : KeyAndCertificates {
  std::string leaf_der;
};

AssertionAlgorithm parse_assertion_algorithm(const std::string& name) {
  if (util::iequals(name, "PS256")) return AssertionAlgorithm::ps256;
  if (util::iequals(name, "RS256")) return AssertionAlgorithm::rs256;
  throw usage_error("unknown certificate assertion algorithm '" + name + "' (use PS256 or RS256)");
}

CertificateOptions certificate_options_from_env(const AuthContext& ctx) {
  CertificateOptions options;
  options.path = ctx.getenv("AZURE_CLIENT_CERTIFICATE_PATH").value_or("");
  options.password = ctx.getenv("AZURE_CLIENT_CERTIFICATE_PASSWORD");
  if (options.password) util::register_secret(*options.password);
  const auto chain = ctx.getenv("AZURE_CLIENT_SEND_CERTIFICATE_CHAIN").value_or("");
  options.send_chain = util::iequals(util::trim(chain), "true") || util::trim(chain) == "1";
  return options;
}

ClientCertificateCredential::ClientCertificateCredential(AuthContext ctx, const CertificateOptions& options)
    : ctx_(std::move(ctx)),
      algorithm_(options.algorithm),
      send_chain_(options.send_chain),
      loaded_(std::make_unique<Loaded>()) {
  loaded_->source = options.path;
  const std::string where = "'" + options.path + "'";
  if (options.path.empty()) throw usage_error("no certificate file: set AZURE_CLIENT_CERTIFICATE_PATH");

  SecretBytes file;
  file.bytes = util::read_file(options.path, "the certificate file " + where,
                               {.max_bytes = util::k_max_certificate_bytes});
  if (file.bytes.empty()) throw usage_error("the certificate file " + where + " is empty");

  if (file.bytes.find("-----BEGIN ") != std::string::npos) {
    load_pem(*loaded_, file.bytes, options.password);
  } else {
    load_pkcs12(*loaded_, file.bytes, options.password);
  }
  if (loaded_->chain.empty()) throw usage_failure(where + " holds no certificate");
  if (!loaded_->key)
    throw usage_failure(where + " holds no private key (put the key and the certificate in one file)");
  if (EVP_PKEY_base_id(loaded_->key.get()) != EVP_PKEY_RSA) {
    throw usage_failure("the key in " + where + " is " + key_type_name(loaded_->key.get()) +
                        " key: Microsoft Entra ID accepts only RSA certificates for app credentials");
  }

  // The leaf is the certificate of this key, wherever it is in the file; the rest follow it.
  auto leaf = loaded_->chain.end();
  for (auto it = loaded_->chain.begin(); it != loaded_->chain.end(); ++it) {
    if (X509_check_private_key(it->get(), loaded_->key.get()) == 1) {
      leaf = it;
      break;
    }
  }
  ERR_clear_error();  // X509_check_private_key queues an error for each mismatch
  if (leaf == loaded_->chain.end())
    throw usage_failure("the private key in " + where + " matches none of its certificates");
  std::rotate(loaded_->chain.begin(), leaf, leaf + 1);
  loaded_->leaf_der = der_of(loaded_->chain.front().get());
}

ClientCertificateCredential::~ClientCertificateCredential() = default;

std::string ClientCertificateCredential::make_assertion() const {
  json::object header;
  header["alg"] = algorithm_ == AssertionAlgorithm::ps256 ? "PS256" : "RS256";
  header["typ"] = "JWT";
  if (algorithm_ == AssertionAlgorithm::ps256) {
    header["x5t#S256"] = util::base64url_encode(digest_of(loaded_->leaf_der, EVP_sha256()));
  } else {
    header["x5t"] = util::base64url_encode(digest_of(loaded_->leaf_der, EVP_sha1()));
  }
  if (send_chain_) {
    json::array x5c;
    for (const auto& cert : loaded_->chain) x5c.emplace_back(util::base64_encode(der_of(cert.get())));
    header["x5c"] = std::move(x5c);
  }

  const auto now = std::chrono::duration_cast<std::chrono::seconds>(ctx_.now().time_since_epoch()).count();
  json::object claims;
  claims["aud"] = ctx_.token_endpoint();
  claims["iss"] = ctx_.client_id;
  claims["sub"] = ctx_.client_id;
  claims["jti"] = util::new_guid();
  claims["nbf"] = now;
  claims["iat"] = now;
  claims["exp"] = now + 600;

  std::string signing_input = util::base64url_encode(json::serialize(header));
  signing_input += '.';
  signing_input += util::base64url_encode(json::serialize(claims));

  MdCtxPtr md(EVP_MD_CTX_new());
  EVP_PKEY_CTX* pctx = nullptr;  // owned by md
  bool ok = md && EVP_DigestSignInit(md.get(), &pctx, EVP_sha256(), nullptr, loaded_->key.get()) == 1;
  if (ok && algorithm_ == AssertionAlgorithm::ps256) {
    // RFC 7518 §3.5: PS256 is RSASSA-PSS with SHA-256, MGF1-SHA-256 and a 32-byte salt.
    ok = EVP_PKEY_CTX_set_rsa_padding(pctx, RSA_PKCS1_PSS_PADDING) == 1 &&
         EVP_PKEY_CTX_set_rsa_mgf1_md(pctx, EVP_sha256()) == 1 &&
         EVP_PKEY_CTX_set_rsa_pss_saltlen(pctx, 32) == 1;
  } else if (ok) {
    ok = EVP_PKEY_CTX_set_rsa_padding(pctx, RSA_PKCS1_PADDING) == 1;
  }
  std::size_t length = 0;
  const auto* data = reinterpret_cast<const unsigned char*>(signing_input.data());
  ok = ok && EVP_DigestSign(md.get(), nullptr, &length, data, signing_input.size()) == 1;
  std::string signature(length, '\0');
  ok = ok && EVP_DigestSign(md.get(), reinterpret_cast<unsigned char*>(signature.data()), &length, data,
                            signing_input.size()) == 1;
  if (!ok) {
    ERR_clear_error();
    throw Error(ErrorKind::auth,
                "cannot sign the client assertion with the key in '" + loaded_->source + "'");
  }
  signature.resize(length);
  signing_input += '.';
  signing_input += util::base64url_encode(signature);
  util::register_secret(signing_input);
  return signing_input;
}

AccessToken ClientCertificateCredential::get_token() {
  return request_token_with_assertion(ctx_, make_assertion());
}

}  // namespace xtsync::auth
