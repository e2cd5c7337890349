#include "core/date.h"

#include <gtest/gtest.h>

namespace calfdvt::core {
namespace {

Date D(const char* s) { return *Date::Parse(s); }

TEST(DateTest, ParsesAndFormatsRoundTrip) {
  for (const char* s : {"1970-01-01", "2026-11-21", "2000-02-29", "1900-03-01", "2999-12-31"}) {
    auto d = Date::Parse(s);
    ASSERT_TRUE(d.has_value()) << s;
    EXPECT_EQ(d->ToString(), s);
  }
  EXPECT_EQ(D("1970-01-01").days(), 0);
  EXPECT_EQ(D("1970-01-02").days(), 1);
}

TEST(DateTest, RejectsMalformedAndImpossibleDates) {
  for (const char* s : {"2026-02-29", "2026-13-01", "2026-00-10", "2026-04-31", "26-11-21",
                        "2026/11/21", "2026-11-21T00:00", "", "2026-1-01", "1899-12-31",
                        "3000-01-01", "2026-11-2x"}) {
    EXPECT_FALSE(Date::Parse(s).has_value()) << s;
  }
}

TEST(DateTest, AddDaysCrossesMonthAndYear) {
  EXPECT_EQ(D("2026-11-20").AddDays(7).ToString(), "2026-11-27");
  EXPECT_EQ(D("2026-12-28").AddDays(7).ToString(), "2027-01-04");
  EXPECT_EQ(D("2028-02-27").AddDays(2).ToString(), "2028-02-29");
}

TEST(DateTest, AddMonthsClampsToEndOfMonth) {
  EXPECT_EQ(D("2026-11-30").AddMonths(3).ToString(), "2027-02-28");
  EXPECT_EQ(D("2027-11-30").AddMonths(3).ToString(), "2028-02-29");
  EXPECT_EQ(D("2026-11-21").AddMonths(3).ToString(), "2027-02-21");
  EXPECT_EQ(D("2026-01-31").AddMonths(1).ToString(), "2026-02-28");
  EXPECT_EQ(D("2026-03-31").AddMonths(-1).ToString(), "2026-02-28");
  EXPECT_EQ(D("2026-11-21").AddMonths(14).ToString(), "2028-01-21");
}

TEST(DateTest, Orders) {
  EXPECT_LT(D("2026-11-20"), D("2026-11-21"));
  EXPECT_EQ(D("2026-11-20"), D("2026-11-20"));
}

}  // namespace
}  // namespace calfdvt::core
