// Internal to pathway: appends to one of an Assessment's string lists, reusing the strings (and
// their capacity) that a recycled Assessment left in it, so that assessing many cases with one
// Assessment does not allocate a string per line. Not part of the public surface.
#pragma once

#include <algorithm>
#include <string>
#include <string_view>
#include <vector>

namespace calfdvt::pathway::internal {

class StringList {
 public:
  // The list's current strings are spares, overwritten from the first on; Finish() drops those
  // not reused.
  explicit StringList(std::vector<std::string>& items) : items_(items) {}

  // A new, empty last item with room for at least `capacity` bytes.
  std::string& Next(size_t capacity = 0) {
    if (used_ == items_.size()) items_.emplace_back();
    std::string& s = items_[used_++];
    s.clear();
    s.reserve(capacity);  // never shrinks: a reused string keeps what it had
    return s;
  }
  void Push(std::string_view s) { Next().assign(s.data(), s.size()); }
  // Takes back the last item when it repeats an earlier one; returns whether it did.
  bool DropLastIfRepeated() {
    const auto last = items_.begin() + static_cast<std::ptrdiff_t>(used_ - 1);
    if (std::find(items_.begin(), last, *last) == last) return false;
    --used_;
    return true;
  }
  void Finish() { items_.erase(items_.begin() + static_cast<std::ptrdiff_t>(used_), items_.end()); }

 private:
  std::vector<std::string>& items_;
  size_t used_ = 0;
};

}  // namespace calfdvt::pathway::internal
