// Sha256Hex against the FIPS 180-4 / NIST example vectors (empty, one block, two blocks, long).
#include "formats/sha256.h"

#include <gtest/gtest.h>

#include <string>

namespace calfdvt::formats {
namespace {

TEST(Sha256Hex, NistVectors) {
  EXPECT_EQ(Sha256Hex(""), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  EXPECT_EQ(Sha256Hex("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  EXPECT_EQ(Sha256Hex("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq"),
            "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
  EXPECT_EQ(Sha256Hex(std::string(1000000, 'a')),
            "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
}

TEST(Sha256Hex, EmbeddedNulAndEveryPaddingLength) {
  // Lengths around the 55/56/64-byte padding boundaries give different digests, 64 hex digits.
  std::string seen;
  for (size_t n = 50; n <= 70; ++n) {
    const std::string h = Sha256Hex(std::string(n, '\0'));
    ASSERT_EQ(h.size(), 64u);
    EXPECT_EQ(h.find_first_not_of("0123456789abcdef"), std::string::npos);
    EXPECT_NE(h, seen);
    seen = h;
  }
}

}  // namespace
}  // namespace calfdvt::formats
