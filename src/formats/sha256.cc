#include "formats/sha256.h"

#include <openssl/evp.h>

namespace calfdvt::formats {

std::string Sha256Hex(std::string_view bytes) {
  // Fetched once: OpenSSL 3 otherwise looks the implementation up on every EVP_sha256() digest,
  // which costs more than hashing a short input. Thread-safe (a function-local static).
  static EVP_MD* const kSha256 = EVP_MD_fetch(nullptr, "SHA256", nullptr);
  // One digest context per thread, re-initialised for each input (EVP_Digest would allocate and
  // free one per call: more than hashing a short id seed costs).
  struct Ctx {
    EVP_MD_CTX* ctx = EVP_MD_CTX_new();
    ~Ctx() { EVP_MD_CTX_free(ctx); }
  };
  thread_local Ctx t;
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  const bool ok = kSha256 && t.ctx && EVP_DigestInit_ex2(t.ctx, kSha256, nullptr) == 1 &&
                  EVP_DigestUpdate(t.ctx, bytes.data(), bytes.size()) == 1 &&
                  EVP_DigestFinal_ex(t.ctx, digest, &len) == 1;
  if (!ok) EVP_Digest(bytes.data(), bytes.size(), digest, &len, EVP_sha256(), nullptr);
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  out.reserve(len * 2);
  for (unsigned int i = 0; i < len; ++i) {
    out.push_back(kHex[digest[i] >> 4]);
    out.push_back(kHex[digest[i] & 15]);
  }
  return out;
}

}  // namespace calfdvt::formats
