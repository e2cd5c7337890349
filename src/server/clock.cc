#include "server/clock.h"

#include <openssl/rand.h>

#include <chrono>
#include <cstdio>
#include <cstring>
#include <ctime>
#include <stdexcept>

namespace calfdvt::server {
namespace {

class RealClock : public Clock {
 public:
  std::string NowRfc3339() override {
    const auto now = std::chrono::system_clock::now();
    const std::time_t t = std::chrono::system_clock::to_time_t(now);
    const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(now.time_since_epoch()).count() % 1000;
    std::tm tm{};
    gmtime_r(&t, &tm);
    char buf[96];
    std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", tm.tm_year + 1900,
                  tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, static_cast<int>(ms));
    return buf;
  }
  // The UTC calendar day: whole days since the epoch (POSIX time has no leap seconds), floored.
  // No gmtime_r: it takes glibc's time-zone lock on every call.
  core::Date Today() override {
    const int64_t t = static_cast<int64_t>(std::time(nullptr));
    const int64_t days = t >= 0 ? t / 86400 : -((-t + 86399) / 86400);
    return core::Date::FromDays(static_cast<int32_t>(days));
  }
};

std::string Hex(const unsigned char* p, size_t n) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  out.reserve(n * 2);
  for (size_t i = 0; i < n; ++i) {
    out.push_back(kHex[p[i] >> 4]);
    out.push_back(kHex[p[i] & 15]);
  }
  return out;
}

class OsRandom : public RandomSource {
 public:
  std::string Uuid() override {
    unsigned char b[16];
    FillPooled(b, sizeof b);
    b[6] = static_cast<unsigned char>((b[6] & 0x0f) | 0x40);
    b[8] = static_cast<unsigned char>((b[8] & 0x3f) | 0x80);
    // 8-4-4-4-12 hex digits, written in place.
    static constexpr char kHex[] = "0123456789abcdef";
    std::string out(36, '-');
    size_t o = 0;
    for (size_t i = 0; i < 16; ++i) {
      if (i == 4 || i == 6 || i == 8 || i == 10) ++o;  // the dash already there
      out[o++] = kHex[b[i] >> 4];
      out[o++] = kHex[b[i] & 15];
    }
    return out;
  }
  std::string Secret(size_t bytes) override {
    std::string raw(bytes, '\0');
    Fill(reinterpret_cast<unsigned char*>(raw.data()), bytes);
    return Hex(reinterpret_cast<const unsigned char*>(raw.data()), bytes);
  }

 private:
  static void Fill(unsigned char* p, size_t n) {
    if (RAND_bytes(p, static_cast<int>(n)) != 1) throw std::runtime_error("RAND_bytes failed");
  }
  // Identifiers (not secrets) come from a per-thread pool refilled 4 KiB at a time: one
  // RAND_bytes call per 256 UUIDs instead of one each (a CDS Hooks response needs three). Each
  // byte is handed out once. Secret() never uses the pool.
  static void FillPooled(unsigned char* p, size_t n) {
    thread_local unsigned char pool[4096];
    thread_local size_t used = sizeof pool;
    if (n > sizeof pool) return Fill(p, n);
    if (sizeof pool - used < n) {
      Fill(pool, sizeof pool);
      used = 0;
    }
    std::memcpy(p, pool + used, n);
    std::memset(pool + used, 0, n);
    used += n;
  }
};

}  // namespace

Clock& SystemClock() {
  static RealClock clock;
  return clock;
}

RandomSource& SystemRandom() {
  static OsRandom random;
  return random;
}

}  // namespace calfdvt::server
