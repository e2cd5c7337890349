// Internal to fhir: storage for the facts kept from parsed resources. Strings and small arrays
// are copied into chunks that never move, so the string_views and spans handed out stay valid for
// the arena's lifetime (a PatientRecord's). One allocation per chunk instead of one per string:
// the facts of a 20-resource CDS Hooks prefetch used to cost ~150 small allocations.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <initializer_list>
#include <memory>
#include <new>
#include <span>
#include <string_view>
#include <type_traits>
#include <vector>

namespace calfdvt::fhir::internal {

class TextArena {
 public:
  TextArena() = default;
  TextArena(TextArena&&) noexcept = default;
  TextArena& operator=(TextArena&&) noexcept = default;

  // Forgets everything handed out (the views and spans must no longer be used) and keeps the
  // chunks for reuse: a record reused across CDS calls allocates nothing once warmed up.
  void Reset() {
    current_ = 0;
    next_ = chunks_.empty() ? nullptr : chunks_.front().data.get();
    left_ = chunks_.empty() ? 0 : chunks_.front().size;
  }
  // Bytes held in chunks (for tests).
  size_t Capacity() const {
    size_t n = 0;
    for (const auto& c : chunks_) n += c.size;
    return n;
  }

  // A copy of `s` that lives as long as the arena.
  std::string_view Copy(std::string_view s) {
    if (s.empty()) return {};
    char* p = Bytes(s.size());
    std::memcpy(p, s.data(), s.size());
    return {p, s.size()};
  }

  // The concatenation of `parts`, kept as long as the arena.
  std::string_view Join(std::initializer_list<std::string_view> parts) {
    size_t size = 0;
    for (std::string_view p : parts) size += p.size();
    if (size == 0) return {};
    char* out = Bytes(size);
    char* p = out;
    for (std::string_view part : parts) {
      if (part.empty()) continue;  // an empty view may have no data pointer: memcpy needs one
      std::memcpy(p, part.data(), part.size());
      p += part.size();
    }
    return {out, size};
  }

  // `n` value-initialised objects of a trivially destructible type (never destroyed).
  template <class T>
  std::span<T> Array(size_t n) {
    static_assert(std::is_trivially_destructible_v<T>, "arena objects are never destroyed");
    if (n == 0) return {};
    T* p = static_cast<T*>(Allocate(n * sizeof(T), alignof(T)));
    for (size_t i = 0; i < n; ++i) new (p + i) T();
    return {p, n};
  }

 private:
  static constexpr size_t kChunk = 4096;

  // Padding of `p` to `align` (a power of two, as every alignof).
  static size_t Pad(const char* p, size_t align) {
    return (0 - reinterpret_cast<uintptr_t>(p)) & (align - 1);
  }
  // `n` > 0 unaligned bytes (strings): the common case, kept short for inlining.
  char* Bytes(size_t n) {
    if (n > left_) NextChunk(n);
    char* p = next_;
    next_ += n;
    left_ -= n;
    return p;
  }
  void* Allocate(size_t size, size_t align) {
    if (next_ == nullptr || Pad(next_, align) + size > left_) NextChunk(size + align);
    const size_t pad = Pad(next_, align);
    char* p = next_ + pad;
    next_ = p + size;
    left_ -= pad + size;
    return p;
  }
  // Moves to the next kept chunk (after Reset), or a new one, of at least `bytes`.
  void NextChunk(size_t bytes) {
    const size_t next = next_ == nullptr ? 0 : current_ + 1;
    if (next < chunks_.size() && chunks_[next].size >= bytes) {
      current_ = next;
    } else {
      const size_t size = bytes > kChunk ? bytes : kChunk;
      // A kept chunk too small for this request stays after the new one, for later use.
      chunks_.insert(chunks_.begin() + static_cast<std::ptrdiff_t>(next),
                     Chunk{std::make_unique_for_overwrite<char[]>(size), size});
      current_ = next;
    }
    next_ = chunks_[current_].data.get();
    left_ = chunks_[current_].size;
  }

  struct Chunk {
    std::unique_ptr<char[]> data;
    size_t size;
  };
  std::vector<Chunk> chunks_;
  size_t current_ = 0;  // the chunk next_ points into
  char* next_ = nullptr;
  size_t left_ = 0;
};

}  // namespace calfdvt::fhir::internal
