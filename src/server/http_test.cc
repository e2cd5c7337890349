#include "server/http.h"

#include <gtest/gtest.h>

namespace calfdvt::server {
namespace {

TEST(HeadersTest, LookupIsCaseInsensitiveAndSetReplaces) {
  Headers h;
  h.Add("Content-Type", "application/json");
  h.Add("X-Thing", "1");
  h.Add("x-thing", "2");
  EXPECT_EQ(h.Get("content-type"), "application/json");
  EXPECT_EQ(h.Get("X-THING"), "1");
  EXPECT_FALSE(h.Get("missing").has_value());
  h.Set("X-Thing", "3");
  EXPECT_EQ(h.Get("x-thing"), "3");
  EXPECT_EQ(h.fields().size(), 2u);
}

TEST(ParseTargetTest, SplitsPathAndDecodesQuery) {
  Request r;
  ASSERT_TRUE(ParseTarget("/episodes?patient=a%20b&status=open+now&flag&=x&&", r).ok());
  EXPECT_EQ(r.path, "/episodes");
  ASSERT_EQ(r.query.size(), 4u);
  EXPECT_EQ(r.QueryParam("patient"), "a b");
  EXPECT_EQ(r.QueryParam("status"), "open now");
  EXPECT_EQ(r.QueryParam("flag"), "");
  EXPECT_EQ(r.query[3].first, "");
  EXPECT_FALSE(r.QueryParam("nope").has_value());
}

TEST(ParseTargetTest, KeepsPathEncodedAndRejectsBadEscapes) {
  Request r;
  ASSERT_TRUE(ParseTarget("/a/x%2Fy", r).ok());
  EXPECT_EQ(r.path, "/a/x%2Fy");
  EXPECT_FALSE(ParseTarget("/a/%zz", r).ok());
  EXPECT_FALSE(ParseTarget("/a?x=%4", r).ok());
  EXPECT_FALSE(ParseTarget("/a%", r).ok());
  const core::Status s = ParseTarget("http://host/a", r);
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.kind(), core::ErrorKind::kInvalidInput);
  EXPECT_EQ(s.errors()[0].rule, "target");
}

TEST(PercentDecodeTest, PlusOnlyWhenAsked) {
  std::string out;
  ASSERT_TRUE(PercentDecode("a+b%2B", false, out));
  EXPECT_EQ(out, "a+b+");
  ASSERT_TRUE(PercentDecode("a+b%2b", true, out));
  EXPECT_EQ(out, "a b+");
  EXPECT_FALSE(PercentDecode("%", true, out));
  EXPECT_FALSE(PercentDecode("%g0", true, out));
}

TEST(MakeRequestTest, BuildsInMemoryRequest) {
  Headers h;
  h.Add("Authorization", "Bearer t");
  const Request r = MakeRequest("POST", "/x?y=1", "{}", h);
  EXPECT_EQ(r.method, "POST");
  EXPECT_EQ(r.path, "/x");
  EXPECT_EQ(r.QueryParam("y"), "1");
  EXPECT_EQ(r.body, "{}");
  EXPECT_EQ(r.Header("authorization"), "Bearer t");
}

TEST(ResponseTest, ErrorBody) {
  const Response r = Error(404, "not_found", "no \"such\" thing", "id");
  EXPECT_EQ(r.status, 404);
  EXPECT_EQ(r.content_type, "application/json");
  EXPECT_EQ(r.body, R"({"error":{"code":"not_found","message":"no \"such\" thing","path":"id"}})");
  EXPECT_EQ(NoContent().status, 204);
  EXPECT_EQ(Json(201, "{}").body, "{}");
}

TEST(ErrorResponseTest, InvalidInputIs400WithAllErrors) {
  const core::Errors errors = {{"a.b", "type", "must be a number"}, {"c", "required", "missing"}};
  const Response r = ErrorResponse(errors, core::ErrorKind::kInvalidInput);
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(r.body,
            R"({"error":{"code":"invalid_input","message":"must be a number","path":"a.b"},)"
            R"("errors":[{"path":"a.b","rule":"type","message":"must be a number"},)"
            R"({"path":"c","rule":"required","message":"missing"}]})");
}

TEST(ErrorResponseTest, EpisodeStateIs422) {
  const Response r = ErrorResponse({{"event", "episode_state", "episode is closed"}},
                                   core::ErrorKind::kInvalidInput);
  EXPECT_EQ(r.status, 422);
  EXPECT_NE(r.body.find(R"("code":"episode_state")"), std::string::npos);
  // Mixed with an ordinary validation error the request is simply invalid.
  EXPECT_EQ(ErrorResponse({{"event", "episode_state", "closed"}, {"x", "type", "bad"}},
                          core::ErrorKind::kInvalidInput)
                .status,
            400);
}

TEST(ErrorResponseTest, NotFoundConflictInternal) {
  EXPECT_EQ(ErrorResponse({{"id", "exists", "no episode"}}, core::ErrorKind::kNotFound).status,
            404);

  const Response c = ErrorResponse({{"expected_version", "version", "stale version 3"}},
                                   core::ErrorKind::kConflict);
  EXPECT_EQ(c.status, 409);
  EXPECT_NE(c.body.find("re-read it and retry"), std::string::npos);
  EXPECT_NE(c.body.find("stale version 3"), std::string::npos);

  const Response i =
      ErrorResponse({{"db", "io", "disk /var/lib/secret failed"}}, core::ErrorKind::kInternal);
  EXPECT_EQ(i.status, 500);
  EXPECT_EQ(i.body.find("secret"), std::string::npos);
  EXPECT_EQ(i.body.find("errors"), std::string::npos);
  EXPECT_EQ(i.body, R"({"error":{"code":"internal","message":"internal server error","path":""}})");
}

TEST(ErrorResponseTest, EmptyErrorListStillWellFormed) {
  const Response r = ErrorResponse({}, core::ErrorKind::kNotFound);
  EXPECT_EQ(r.status, 404);
  EXPECT_EQ(r.body,
            R"({"error":{"code":"not_found","message":"Not Found","path":""},"errors":[]})");
}

}  // namespace
}  // namespace calfdvt::server
