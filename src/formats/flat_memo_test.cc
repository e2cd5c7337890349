#include "formats/flat_memo.h"

#include <gtest/gtest.h>

#include <string>

namespace calfdvt::formats::internal {
namespace {

struct Identity {
  uint64_t operator()(uint64_t k) const { return k; }
};
struct Constant {  // every key in one bucket chain
  uint64_t operator()(uint64_t) const { return 7; }
};

template <class Hash>
void FindsEveryKeyAcrossGrowth() {
  FlatMemo<uint64_t, std::string, Hash> memo;
  for (uint64_t k = 0; k < 300; ++k) {
    ASSERT_EQ(memo.Find(k * 0x10001), nullptr);
    EXPECT_EQ(memo.Insert(k * 0x10001, std::to_string(k)), std::to_string(k));
    ASSERT_EQ(memo.size(), k + 1);
  }
  for (uint64_t k = 0; k < 300; ++k) {
    const std::string* v = memo.Find(k * 0x10001);
    ASSERT_NE(v, nullptr) << k;
    EXPECT_EQ(*v, std::to_string(k));
  }
  EXPECT_EQ(memo.Find(12345), nullptr);
}

TEST(FlatMemoTest, FindsEveryKeyAcrossGrowth) { FindsEveryKeyAcrossGrowth<Identity>(); }
TEST(FlatMemoTest, FindsEveryKeyWhenAllHashesCollide) { FindsEveryKeyAcrossGrowth<Constant>(); }

}  // namespace
}  // namespace calfdvt::formats::internal
