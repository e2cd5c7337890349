#include "cli/progress.h"

#include <chrono>
#include <cstdio>

namespace calfdvt::cli {

Progress::Progress(bool enabled, uint64_t total_bytes) : enabled_(enabled), total_(total_bytes) {
  if (!enabled_) return;
  drawer_ = std::thread([this] {
    std::unique_lock lock(mu_);
    while (!cv_.wait_for(lock, std::chrono::milliseconds(200), [this] { return stop_; })) Draw();
  });
}

Progress::~Progress() {
  if (!enabled_) return;
  {
    std::lock_guard lock(mu_);
    stop_ = true;
  }
  cv_.notify_all();
  drawer_.join();
  Draw();
  std::fputc('\n', stderr);
}

void Progress::SetStage(const char* stage) { stage_.store(stage, std::memory_order_relaxed); }

void Progress::Draw() {
  const double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
  const uint64_t done = done_.load(std::memory_order_relaxed);
  const double frac = total_ ? static_cast<double>(done) / static_cast<double>(total_) : 1.0;
  constexpr int kWidth = 30;
  char bar[kWidth + 1];
  const int filled = static_cast<int>(frac * kWidth + 0.5);
  for (int i = 0; i < kWidth; ++i) bar[i] = i < filled ? '#' : '.';
  bar[kWidth] = 0;
  std::fprintf(stderr, "\r%-22s [%s] %3d%% %8.1f/%.1f MB %7.1f MB/s ", stage_.load(), bar,
               static_cast<int>(frac * 100), done / 1e6, total_ / 1e6, secs > 0 ? done / 1e6 / secs : 0.0);
  std::fflush(stderr);
}

}  // namespace calfdvt::cli
