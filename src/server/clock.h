// Side effects the server layer needs, passed in so that handlers are deterministic under test:
// the wall clock and a source of unique identifiers / secrets.
#pragma once

#include <string>

#include "core/date.h"

namespace calfdvt::server {

class Clock {
 public:
  virtual ~Clock() = default;
  virtual std::string NowRfc3339() = 0;  // UTC, e.g. "2026-11-21T06:29:16.123Z"
  virtual core::Date Today() = 0;        // UTC calendar date
};

class RandomSource {
 public:
  virtual ~RandomSource() = default;
  virtual std::string Uuid() = 0;             // RFC 9562 version 4, lower-case text
  virtual std::string Secret(size_t bytes) = 0;  // hex of `bytes` random bytes
};

// The real clock and the operating system's random generator (thread-safe).
Clock& SystemClock();
RandomSource& SystemRandom();

}  // namespace calfdvt::server
