#include "emulator/identity_certificate.hpp"

#include <fmt/format.h>
#include <openssl/bio.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rsa.h>
#include <openssl/x509.h>

#include <stdexcept>

#include "util/file.hpp"
#include "util/openssl_handles.hpp"

namespace xtsync::emulator {

namespace {

EVP_PKEY* pkey(const std::shared_ptr<void>& key) {
  return static_cast<EVP_PKEY*>(key.get());
}

std::string digest_of(const unsigned char* der, int size, const EVP_MD* md) {
  unsigned char out[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  if (EVP_Digest(der, static_cast<std::size_t>(size), out, &length, md, nullptr) != 1) {
    throw std::runtime_error("cannot hash the certificate");
  }
  return std::string(reinterpret_cast<const char*>(out), length);
}

}  // namespace

ClientCertificate ClientCertificate::load(const std::string& pem_file) {
  // Size-capped and regular files only, so a mistaken FIFO or device cannot hang the start.
  const std::string pem = util::read_file(pem_file, fmt::format("certificate file '{}'", pem_file),
                                          {.max_bytes = util::k_max_certificate_bytes});
  const util::BioPtr bio(BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())));
  if (!bio) throw std::runtime_error("out of memory");
  const util::CertPtr cert(PEM_read_bio_X509(bio.get(), nullptr, nullptr, nullptr));
  if (!cert) throw std::runtime_error(fmt::format("no PEM certificate in '{}'", pem_file));
  unsigned char* der = nullptr;
  const int size = i2d_X509(cert.get(), &der);
  if (size <= 0) throw std::runtime_error(fmt::format("cannot encode the certificate in '{}'", pem_file));
  std::unique_ptr<unsigned char, void (*)(unsigned char*)> der_owner(der, [](unsigned char* p) {
    OPENSSL_free(p);
  });
  ClientCertificate out;
  out.sha1_ = digest_of(der, size, EVP_sha1());
  out.sha256_ = digest_of(der, size, EVP_sha256());
  EVP_PKEY* key = X509_get_pubkey(cert.get());
  if (!key) throw std::runtime_error(fmt::format("no usable public key in '{}'", pem_file));
  out.key_ = std::shared_ptr<void>(key, [](void* p) { EVP_PKEY_free(static_cast<EVP_PKEY*>(p)); });
  return out;
}

bool ClientCertificate::is_rsa() const noexcept {
  return EVP_PKEY_base_id(pkey(key_)) == EVP_PKEY_RSA;
}

bool ClientCertificate::verify(std::string_view alg, std::string_view signing_input,
                               std::string_view signature) const {
  // Entra ID accepts only RSA keys for client assertions.
  const bool pss = alg == "PS256";
  if ((!pss && alg != "RS256") || !is_rsa()) return false;
  const util::MdCtxPtr ctx(EVP_MD_CTX_new());
  EVP_PKEY_CTX* pctx = nullptr;
  if (!ctx || EVP_DigestVerifyInit(ctx.get(), &pctx, EVP_sha256(), nullptr, pkey(key_)) != 1) return false;
  if (pss && (EVP_PKEY_CTX_set_rsa_padding(pctx, RSA_PKCS1_PSS_PADDING) != 1 ||
              EVP_PKEY_CTX_set_rsa_pss_saltlen(pctx, RSA_PSS_SALTLEN_DIGEST) != 1)) {
    return false;
  }
  return EVP_DigestVerify(ctx.get(), reinterpret_cast<const unsigned char*>(signature.data()), signature.size(),
                          reinterpret_cast<const unsigned char*>(signing_input.data()),
                          signing_input.size()) == 1;
}

}  // namespace xtsync::emulator
