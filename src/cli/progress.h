// A progress bar on stderr for long scans, drawn only when stderr is a terminal. Shows bytes and
// throughput, never patient data. Thread-safe: workers call Add() concurrently.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <string>
#include <thread>

namespace calfdvt::cli {

class Progress {
 public:
  // `enabled` false: every call is a no-op (not a terminal, or --no-progress).
  Progress(bool enabled, uint64_t total_bytes);
  ~Progress();  // stops the drawing thread and ends the line
  Progress(const Progress&) = delete;
  Progress& operator=(const Progress&) = delete;

  void SetStage(const char* stage);  // static text, e.g. "pass 1/2 candidates"
  void Add(uint64_t bytes) { done_.fetch_add(bytes, std::memory_order_relaxed); }

 private:
  void Draw();

  const bool enabled_;
  const uint64_t total_;
  std::atomic<uint64_t> done_{0};
  std::atomic<const char*> stage_{""};
  std::mutex mu_;
  std::condition_variable cv_;
  bool stop_ = false;
  const std::chrono::steady_clock::time_point start_ = std::chrono::steady_clock::now();
  std::thread drawer_;
};

}  // namespace calfdvt::cli
