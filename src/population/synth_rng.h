// Deterministic pseudo-random numbers for the synthetic export (not for anything secret).
// SplitMix64: tiny, fast, and its finalizer is a bijection on 64-bit values, which gives unique ids.
#pragma once

#include <cstdint>

namespace calfdvt::population {

constexpr uint64_t Mix64(uint64_t z) {
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}

class Rng {
 public:
  explicit Rng(uint64_t seed) : s_(seed) {}
  uint64_t Next() { return Mix64(s_ += 0x9e3779b97f4a7c15ULL); }
  double Uniform() { return static_cast<double>(Next() >> 11) * 0x1.0p-53; }  // [0, 1)
  int Range(int lo, int hi) {  // [lo, hi]
    return lo + static_cast<int>(Next() % static_cast<uint64_t>(hi - lo + 1));
  }
  bool Chance(double p) { return Uniform() < p; }
  double Real(double lo, double hi, double step) {  // lo..hi rounded to step
    const int n = static_cast<int>((hi - lo) / step + 0.5);
    return lo + step * Range(0, n);
  }

 private:
  uint64_t s_;
};

}  // namespace calfdvt::population
