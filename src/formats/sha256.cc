#include "formats/sha256.h"

// OpenSSL's one-shot SHA-256 block functions (deprecated in OpenSSL 3 in favour of EVP, but
// supported): they run the same optimised block code (SHA-NI where the CPU has it) without the
// EVP layer, whose EVP_DigestInit allocates, zeroes and frees a provider context on every call —
// several times the cost of hashing a short id seed.
#define OPENSSL_SUPPRESS_DEPRECATED
#include <openssl/sha.h>

namespace calfdvt::formats {

std::string Sha256Hex(std::string_view bytes) {
  unsigned char digest[SHA256_DIGEST_LENGTH];
  SHA256_CTX ctx;
  SHA256_Init(&ctx);
  SHA256_Update(&ctx, bytes.data(), bytes.size());
  SHA256_Final(digest, &ctx);
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out(2 * SHA256_DIGEST_LENGTH, '0');
  for (size_t i = 0; i < SHA256_DIGEST_LENGTH; ++i) {
    out[2 * i] = kHex[digest[i] >> 4];
    out[2 * i + 1] = kHex[digest[i] & 15];
  }
  return out;
}

}  // namespace calfdvt::formats
