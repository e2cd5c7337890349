// Civil (proleptic Gregorian) calendar dates without time zones. All clinical due dates are
// calendar dates; nothing here reads the clock.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace calfdvt::core {

class Date {
 public:
  constexpr Date() = default;
  // Days since 1970-01-01.
  static constexpr Date FromDays(int32_t days) {
    Date d;
    d.days_ = days;
    return d;
  }
  // Precondition: a valid calendar date (use Parse for untrusted text).
  static Date FromCivil(int year, unsigned month, unsigned day);

  // Accepts exactly YYYY-MM-DD with a real calendar day (2026-02-29 is rejected), years 1900-2999.
  static std::optional<Date> Parse(std::string_view text);

  constexpr int32_t days() const { return days_; }
  int year() const;
  unsigned month() const;
  unsigned day() const;

  Date AddDays(int32_t n) const { return FromDays(days_ + n); }
  // Calendar months; a day past the end of the target month is clamped to its last day
  // (2026-11-30 + 3 months = 2027-02-28).
  Date AddMonths(int32_t n) const;

  std::string ToString() const;
  // Writes the 10 characters of YYYY-MM-DD to out (no terminator).
  void Format(char* out) const;

  friend constexpr bool operator==(Date a, Date b) { return a.days_ == b.days_; }
  friend constexpr auto operator<=>(Date a, Date b) { return a.days_ <=> b.days_; }

 private:
  int32_t days_ = 0;
};

}  // namespace calfdvt::core
