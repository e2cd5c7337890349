// Internal to formats: a small memo table for serialisers' hot paths. Open addressing over a
// power-of-two table (a multiply and a shift per lookup, no division, no node per entry). Entries
// are never removed. Not thread-safe.
#pragma once

#include <cstddef>
#include <cstdint>
#include <utility>
#include <vector>

namespace calfdvt::formats::internal {

// `Hash` maps a Key to 64 well-mixed-enough bits (the top bits pick the bucket, after a
// multiplication by the golden ratio); Key has operator==.
template <class Key, class Value, class Hash>
class FlatMemo {
 public:
  // The value memoised for `key`, or nullptr.
  const Value* Find(const Key& key) const {
    for (size_t i = Bucket(key);; i = (i + 1) & (slots_.size() - 1)) {
      const Slot& s = slots_[i];
      if (!s.used) return nullptr;
      if (s.key == key) return &s.value;
    }
  }
  // Memoises `value` for `key` (which must be absent); the reference lasts until the next Insert.
  const Value& Insert(const Key& key, Value value) {
    if (2 * (size_ + 1) > slots_.size()) Grow();
    ++size_;
    return Place(key, std::move(value));
  }
  size_t size() const { return size_; }

 private:
  struct Slot {
    bool used = false;
    Key key{};
    Value value{};
  };
  size_t Bucket(const Key& key) const {
    return static_cast<size_t>((Hash()(key) * 0x9e3779b97f4a7c15ull) >> shift_);
  }
  Value& Place(const Key& key, Value value) {
    size_t i = Bucket(key);
    while (slots_[i].used) i = (i + 1) & (slots_.size() - 1);
    slots_[i] = Slot{true, key, std::move(value)};
    return slots_[i].value;
  }
  void Grow() {
    std::vector<Slot> old = std::exchange(slots_, std::vector<Slot>(slots_.size() * 2));
    --shift_;
    for (Slot& s : old)
      if (s.used) Place(s.key, std::move(s.value));
  }

  std::vector<Slot> slots_ = std::vector<Slot>(16);
  size_t size_ = 0;
  int shift_ = 64 - 4;  // 64 - log2(slots_.size())
};

}  // namespace calfdvt::formats::internal
