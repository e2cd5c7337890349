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
  core::Date Today() override {
    const std::time_t t = std::time(nullptr);
    std::tm tm{};
    gmtime_r(&t, &tm);
    return core::Date::FromCivil(tm.tm_year + 1900, static_cast<unsigned>(tm.tm_mon + 1),
                                 static_cast<unsigned>(tm.tm_mday));
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
    const std::string h = Hex(b, 16);
    return h.substr(0, 8) + "-" + h.substr(8, 4) + "-" + h.substr(12, 4) + "-" + h.substr(16, 4) +
           "-" + h.substr(20);
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
  // Identifiers (not secrets) come from a per-thread pool refilled 512 bytes at a time: one
  // RAND_bytes call per 32 UUIDs instead of one each (a CDS Hooks response needs two). Each byte
  // is handed out once. Secret() never uses the pool.
  static void FillPooled(unsigned char* p, size_t n) {
    thread_local unsigned char pool[512];
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
