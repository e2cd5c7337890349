#include "store/worklist_cursor.h"

#include <gtest/gtest.h>

namespace calfdvt::store {
namespace {

TEST(WorklistCursorTest, RoundTrips) {
  for (const CursorKey& k : {CursorKey{0, *core::Date::Parse("2026-03-01"), "e1", 3},
                             CursorKey{2, *core::Date::Parse("1999-12-31"), "id|with|bars", 14},
                             CursorKey{3, *core::Date::Parse("2999-01-01"), "ü-ñ", 0}}) {
    const std::string c = EncodeCursor(k);
    EXPECT_EQ(
        c.find_first_not_of("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"),
        std::string::npos);
    auto back = DecodeCursor(c);
    ASSERT_TRUE(back.ok()) << c;
    EXPECT_EQ(back->rank, k.rank);
    EXPECT_EQ(back->date, k.date);
    EXPECT_EQ(back->episode_id, k.episode_id);
    EXPECT_EQ(back->tie, k.tie);
  }
}

TEST(WorklistCursorTest, RejectsMalformed) {
  const std::string good = EncodeCursor(CursorKey{1, *core::Date::Parse("2026-03-01"), "e", 7});
  for (const std::string& bad :
       {std::string(""), std::string("="), good + "=", good.substr(0, good.size() - 1) + "*",
        good.substr(1), std::string(2000, 'A'), std::string("dzF8OXwyMDI2LTAxLTAxfDB8ZQ"),
        std::string("dzF8MXwyMDI2LTEzLTAxfDd8ZQ")}) {
    auto r = DecodeCursor(bad);
    ASSERT_FALSE(r.ok()) << bad;
    EXPECT_EQ(r.kind(), core::ErrorKind::kInvalidInput);
    EXPECT_EQ(r.errors()[0].path, "cursor");
    EXPECT_EQ(r.errors()[0].rule, "cursor");
  }
}

}  // namespace
}  // namespace calfdvt::store
