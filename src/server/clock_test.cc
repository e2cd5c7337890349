// The real clock and random source (server/clock.h): the UTC day without gmtime_r, and UUIDs
// written in place from the per-thread pool.
#include "server/clock.h"

#include <gtest/gtest.h>

#include <ctime>
#include <set>
#include <string>

namespace calfdvt::server {
namespace {

core::Date GmDate(std::time_t t) {
  std::tm tm{};
  gmtime_r(&t, &tm);
  return core::Date::FromCivil(tm.tm_year + 1900, static_cast<unsigned>(tm.tm_mon + 1),
                               static_cast<unsigned>(tm.tm_mday));
}

TEST(SystemClock, TodayIsTheUtcCalendarDay) {
  const std::time_t before = std::time(nullptr);
  const core::Date today = SystemClock().Today();
  const std::time_t after = std::time(nullptr);
  // Around midnight UTC the two reads may straddle the day boundary: either day is right.
  EXPECT_TRUE(today == GmDate(before) || today == GmDate(after)) << today.ToString();
}

TEST(SystemClock, NowRfc3339StartsWithToday) {
  const std::string now = SystemClock().NowRfc3339();
  const std::string today = SystemClock().Today().ToString();
  ASSERT_EQ(now.size(), 24u) << now;  // YYYY-MM-DDTHH:MM:SS.mmmZ
  EXPECT_EQ(now.back(), 'Z');
  // Unless the day turned between the two reads.
  if (now.substr(11, 8) != "00:00:00") {
    EXPECT_EQ(now.substr(0, 10), today);
  }
}

bool IsLowerHex(char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'); }

TEST(SystemRandom, UuidsAreVersion4Rfc4122AndDistinct) {
  std::set<std::string> seen;
  // More than one pool refill (4 KiB = 256 UUIDs).
  for (int i = 0; i < 1000; ++i) {
    const std::string u = SystemRandom().Uuid();
    ASSERT_EQ(u.size(), 36u) << u;
    for (size_t j = 0; j < u.size(); ++j) {
      if (j == 8 || j == 13 || j == 18 || j == 23) {
        ASSERT_EQ(u[j], '-') << u;
      } else {
        ASSERT_TRUE(IsLowerHex(u[j])) << u;
      }
    }
    EXPECT_EQ(u[14], '4') << u;                                   // version 4
    EXPECT_NE(std::string("89ab").find(u[19]), std::string::npos) << u;  // RFC 4122 variant
    EXPECT_TRUE(seen.insert(u).second) << "repeated " << u;
  }
}

TEST(SystemRandom, SecretsAreHexOfTheRequestedLength) {
  const std::string a = SystemRandom().Secret(32), b = SystemRandom().Secret(32);
  EXPECT_EQ(a.size(), 64u);
  EXPECT_NE(a, b);
  for (char c : a) EXPECT_TRUE(IsLowerHex(c));
}

}  // namespace
}  // namespace calfdvt::server
