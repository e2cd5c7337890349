#include "server/metrics.h"

#include <gtest/gtest.h>

#include <thread>
#include <vector>

namespace calfdvt::server {
namespace {

using std::chrono::microseconds;
using std::chrono::milliseconds;

bool Contains(const std::string& haystack, const std::string& needle) {
  return haystack.find(needle) != std::string::npos;
}

TEST(MetricsTest, CountsByRouteMethodAndStatusClass) {
  Metrics m;
  m.SetRoutes({"/episodes", "/episodes/{id}"});
  m.Record(0, "GET", 200, microseconds(300));
  m.Record(0, "GET", 204, milliseconds(2));
  m.Record(1, "POST", 409, milliseconds(30));
  m.Record(99, "BREW", 404, milliseconds(7000));  // unknown route and method
  EXPECT_EQ(m.RequestCount(0, "GET", 2), 2u);
  EXPECT_EQ(m.RequestCount(1, "POST", 4), 1u);
  EXPECT_EQ(m.RequestCount(12345, "OTHER", 4), 1u);

  const std::string text = m.RenderPrometheus();
  EXPECT_TRUE(Contains(text, "# HELP calfdvt_http_requests_total "));
  EXPECT_TRUE(Contains(text, "# TYPE calfdvt_http_requests_total counter\n"));
  EXPECT_TRUE(Contains(
      text, "calfdvt_http_requests_total{route=\"/episodes\",method=\"GET\",status=\"2xx\"} 2\n"));
  EXPECT_TRUE(Contains(
      text,
      "calfdvt_http_requests_total{route=\"/episodes/{id}\",method=\"POST\",status=\"4xx\"} 1\n"));
  EXPECT_TRUE(Contains(
      text,
      "calfdvt_http_requests_total{route=\"(unmatched)\",method=\"OTHER\",status=\"4xx\"} 1\n"));
  EXPECT_TRUE(Contains(text, "# TYPE calfdvt_http_request_duration_seconds histogram\n"));
}

TEST(MetricsTest, HistogramBucketsAreCumulative) {
  Metrics m;
  m.SetRoutes({"/a"});
  m.Record(0, "GET", 200, microseconds(400));   // <= 0.5 ms
  m.Record(0, "GET", 200, microseconds(500));   // == bound counts in that bucket
  m.Record(0, "GET", 200, milliseconds(3));     // <= 5 ms
  m.Record(0, "GET", 200, milliseconds(6000));  // +Inf only
  const std::string text = m.RenderPrometheus();
  EXPECT_TRUE(Contains(
      text, "calfdvt_http_request_duration_seconds_bucket{route=\"/a\",le=\"0.0005\"} 2\n"));
  EXPECT_TRUE(Contains(
      text, "calfdvt_http_request_duration_seconds_bucket{route=\"/a\",le=\"0.005\"} 3\n"));
  EXPECT_TRUE(
      Contains(text, "calfdvt_http_request_duration_seconds_bucket{route=\"/a\",le=\"5\"} 3\n"));
  EXPECT_TRUE(
      Contains(text, "calfdvt_http_request_duration_seconds_bucket{route=\"/a\",le=\"+Inf\"} 4\n"));
  EXPECT_TRUE(Contains(text, "calfdvt_http_request_duration_seconds_count{route=\"/a\"} 4\n"));
  EXPECT_TRUE(Contains(text, "calfdvt_http_request_duration_seconds_sum{route=\"/a\"} 6.0039\n"));
}

TEST(MetricsTest, ErrorsAndGauges) {
  Metrics m;
  m.RecordError(TransportError::kBodyTooLarge);
  m.RecordError(TransportError::kBodyTooLarge);
  EXPECT_EQ(m.ErrorCount(TransportError::kBodyTooLarge), 2u);
  m.AddGaugeSource([] {
    return std::vector<GaugeSample>{
        {"calfdvt_episodes", "Open episodes by phase.", {{"phase", "acute"}}, 3},
        {"calfdvt_up", "Always 1.", {}, 1},
        {"calfdvt_episodes", "ignored", {{"phase", "we\"ird\\\n"}}, 0.5},
    };
  });
  const std::string text = m.RenderPrometheus();
  EXPECT_TRUE(Contains(text, "calfdvt_http_errors_total{kind=\"body_too_large\"} 2\n"));
  EXPECT_TRUE(Contains(text, "calfdvt_http_errors_total{kind=\"timeout\"} 0\n"));
  EXPECT_TRUE(Contains(text,
                       "# HELP calfdvt_episodes Open episodes by phase.\n"
                       "# TYPE calfdvt_episodes gauge\n"
                       "calfdvt_episodes{phase=\"acute\"} 3\n"
                       "calfdvt_episodes{phase=\"we\\\"ird\\\\\\n\"} 0.5\n"));
  EXPECT_TRUE(Contains(text, "# TYPE calfdvt_up gauge\ncalfdvt_up 1\n"));
  EXPECT_FALSE(Contains(text, "ignored"));
}

TEST(MetricsTest, ConcurrentRecordsAreAllCounted) {
  Metrics m;
  m.SetRoutes({"/a"});
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&m] {
      for (int i = 0; i < 10000; ++i) m.Record(0, "POST", 201, microseconds(10));
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(m.RequestCount(0, "POST", 2), 40000u);
}

}  // namespace
}  // namespace calfdvt::server
