#include "server/router.h"

#include <gtest/gtest.h>

#include <stdexcept>

namespace calfdvt::server {
namespace {

Handler Echo(std::string tag) {
  return [tag](const Request& req, const PathParams& params) {
    std::string body = tag;
    body += " " + req.method;
    if (params.Has("id")) body += " id=" + std::string(params.Get("id"));
    if (params.Has("event")) body += " event=" + std::string(params.Get("event"));
    return Text(200, body);
  };
}

Router MakeRouter() {
  Router r;
  EXPECT_TRUE(r.Add("GET", "/", Echo("root")).ok());
  EXPECT_TRUE(r.Add("GET", "/episodes", Echo("list")).ok());
  EXPECT_TRUE(r.Add("POST", "/episodes", Echo("create")).ok());
  EXPECT_TRUE(r.Add("GET", "/episodes/{id}", Echo("get")).ok());
  EXPECT_TRUE(r.Add("DELETE", "/episodes/{id}", Echo("delete")).ok());
  EXPECT_TRUE(r.Add("GET", "/episodes/worklist", Echo("worklist")).ok());
  EXPECT_TRUE(r.Add("POST", "/episodes/{id}/events", Echo("events")).ok());
  EXPECT_TRUE(r.Add("GET", "/episodes/{id}/events/{event}", Echo("event")).ok());
  return r;
}

TEST(RouterTest, MatchesLiteralsAndParams) {
  const Router r = MakeRouter();
  RouteRef ref;
  EXPECT_EQ(r.Handle(MakeRequest("GET", "/"), &ref).body, "root GET");
  EXPECT_EQ(ref.pattern, "/");
  EXPECT_EQ(r.Handle(MakeRequest("GET", "/episodes?x=1"), &ref).body, "list GET");
  EXPECT_EQ(r.Handle(MakeRequest("POST", "/episodes")).body, "create POST");
  EXPECT_EQ(r.Handle(MakeRequest("GET", "/episodes/e1"), &ref).body, "get GET id=e1");
  EXPECT_EQ(ref.pattern, "/episodes/{id}");
  EXPECT_EQ(r.patterns()[ref.index], "/episodes/{id}");
  EXPECT_EQ(r.Handle(MakeRequest("DELETE", "/episodes/e1")).body, "delete DELETE id=e1");
  EXPECT_EQ(r.Handle(MakeRequest("GET", "/episodes/e1/events/7")).body, "event GET id=e1 event=7");
}

TEST(RouterTest, LiteralBeatsParamButParamStillReachable) {
  const Router r = MakeRouter();
  EXPECT_EQ(r.Handle(MakeRequest("GET", "/episodes/worklist")).body, "worklist GET");
  // "worklist" only has GET as a literal; POST .../events backtracks to {id}.
  EXPECT_EQ(r.Handle(MakeRequest("POST", "/episodes/worklist/events")).body,
            "events POST id=worklist");
}

TEST(RouterTest, ParamsArePercentDecodedAfterSplitting) {
  const Router r = MakeRouter();
  EXPECT_EQ(r.Handle(MakeRequest("GET", "/episodes/a%2Fb%20c")).body, "get GET id=a/b c");
}

TEST(RouterTest, UnknownPathIs404Json) {
  const Router r = MakeRouter();
  RouteRef ref;
  for (const char* path : {"/nope", "/episodes/", "/episodes//events", "/episodes/1/x", "//"}) {
    const Response resp = r.Handle(MakeRequest("GET", path), &ref);
    EXPECT_EQ(resp.status, 404) << path;
    EXPECT_EQ(resp.content_type, "application/json");
    EXPECT_NE(resp.body.find(R"("code":"not_found")"), std::string::npos);
    EXPECT_EQ(ref.pattern, kUnmatchedRoute);
    EXPECT_EQ(ref.index, kNoRoute);
  }
}

TEST(RouterTest, WrongMethodIs405WithAllow) {
  const Router r = MakeRouter();
  RouteRef ref;
  const Response resp = r.Handle(MakeRequest("PUT", "/episodes"), &ref);
  EXPECT_EQ(resp.status, 405);
  EXPECT_EQ(resp.headers.Get("Allow"), "GET, HEAD, OPTIONS, POST");
  EXPECT_NE(resp.body.find(R"("code":"method_not_allowed")"), std::string::npos);
  EXPECT_EQ(ref.pattern, "/episodes");
  EXPECT_EQ(r.Handle(MakeRequest("GET", "/episodes/1/events")).headers.Get("Allow"),
            "OPTIONS, POST");
  // Methods are case-sensitive tokens.
  EXPECT_EQ(r.Handle(MakeRequest("get", "/episodes")).status, 405);
}

TEST(RouterTest, HeadFallsBackToGetAndOptionsListsMethods) {
  const Router r = MakeRouter();
  const Response head = r.Handle(MakeRequest("HEAD", "/episodes/9"));
  EXPECT_EQ(head.status, 200);
  EXPECT_EQ(head.body, "get HEAD id=9");  // the listener drops the body on the wire
  EXPECT_EQ(r.Handle(MakeRequest("HEAD", "/episodes/1/events")).status, 405);

  const Response options = r.Handle(MakeRequest("OPTIONS", "/episodes/9"));
  EXPECT_EQ(options.status, 204);
  EXPECT_EQ(options.headers.Get("Allow"), "DELETE, GET, HEAD, OPTIONS");
  EXPECT_EQ(r.Handle(MakeRequest("OPTIONS", "*")).status, 204);
}

TEST(RouterTest, ExplicitHeadAndOptionsRoutesWin) {
  Router r;
  ASSERT_TRUE(r.Add("GET", "/x", Echo("get")).ok());
  ASSERT_TRUE(r.Add("HEAD", "/x", Echo("head")).ok());
  ASSERT_TRUE(r.Add("OPTIONS", "/x", Echo("options")).ok());
  EXPECT_EQ(r.Handle(MakeRequest("HEAD", "/x")).body, "head HEAD");
  EXPECT_EQ(r.Handle(MakeRequest("OPTIONS", "/x")).body, "options OPTIONS");
}

TEST(RouterTest, RejectsBadRegistrations) {
  Router r;
  ASSERT_TRUE(r.Add("GET", "/a/{id}", Echo("a")).ok());
  EXPECT_FALSE(r.Add("GET", "/a/{id}", Echo("dup")).ok());
  EXPECT_FALSE(r.Add("GET", "/a/{key}/b", Echo("conflict")).ok());
  EXPECT_TRUE(r.Add("GET", "/a/{id}/b", Echo("ok")).ok());
  EXPECT_FALSE(r.Add("GET", "a", Echo("relative")).ok());
  EXPECT_FALSE(r.Add("GET", "/a/", Echo("trailing")).ok());
  EXPECT_FALSE(r.Add("GET", "/a//b", Echo("empty")).ok());
  EXPECT_FALSE(r.Add("GET", "/{x-y}", Echo("badname")).ok());
  EXPECT_FALSE(r.Add("GET", "/{x}/{x}", Echo("twice")).ok());
  EXPECT_FALSE(r.Add("GET", "/a{b}", Echo("mixed")).ok());
  EXPECT_FALSE(r.Add("GE T", "/z", Echo("method")).ok());
  EXPECT_FALSE(r.Add("GET", "/z", Handler()).ok());
  const core::Status s = r.Add("GET", "/a/{id}", Echo("dup"));
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.kind(), core::ErrorKind::kInvalidInput);
  EXPECT_EQ(s.errors()[0].rule, "duplicate");
  EXPECT_EQ(r.patterns().size(), 2u);  // failed Adds change nothing
}

TEST(RouterTest, HandlerExceptionBecomes500WithoutDetails) {
  Router r;
  ASSERT_TRUE(r.Add("POST", "/boom", [](const Request&, const PathParams&) -> Response {
                 throw std::runtime_error("patient 123 secret");
               }).ok());
  ASSERT_TRUE(
      r.Add("GET", "/boom2", [](const Request&, const PathParams&) -> Response { throw 42; }).ok());
  RouteRef ref;
  const Response resp = r.Handle(MakeRequest("POST", "/boom", "{\"patient\":\"123\"}"), &ref);
  EXPECT_EQ(resp.status, 500);
  EXPECT_TRUE(ref.handler_threw);
  EXPECT_EQ(resp.body.find("secret"), std::string::npos);
  EXPECT_EQ(r.Handle(MakeRequest("GET", "/boom2")).status, 500);
}

TEST(RouterTest, CorsOffByDefault) {
  const Router r = MakeRouter();
  Headers h;
  h.Add("Origin", "https://app.example");
  const Response resp = r.Handle(MakeRequest("GET", "/episodes", "", h));
  EXPECT_FALSE(resp.headers.Has("Access-Control-Allow-Origin"));
}

TEST(RouterTest, CorsPreflightAndSimpleRequests) {
  Router r = MakeRouter();
  CorsOptions cors;
  cors.allowed_origins = {"https://app.example"};
  ASSERT_TRUE(r.SetCors(cors).ok());

  Headers pre;
  pre.Add("Origin", "https://app.example");
  pre.Add("Access-Control-Request-Method", "POST");
  pre.Add("Access-Control-Request-Headers", "authorization, content-type");
  const Response ok = r.Handle(MakeRequest("OPTIONS", "/episodes", "", pre));
  EXPECT_EQ(ok.status, 204);
  EXPECT_EQ(ok.headers.Get("Access-Control-Allow-Origin"), "https://app.example");
  EXPECT_EQ(ok.headers.Get("Access-Control-Allow-Methods"), "GET, HEAD, OPTIONS, POST");
  EXPECT_EQ(ok.headers.Get("Access-Control-Allow-Headers"), "authorization, content-type");
  EXPECT_EQ(ok.headers.Get("Access-Control-Max-Age"), "600");

  Headers bad = pre;
  bad.Set("Origin", "https://evil.example");
  const Response denied = r.Handle(MakeRequest("OPTIONS", "/episodes", "", bad));
  EXPECT_EQ(denied.status, 403);
  EXPECT_FALSE(denied.headers.Has("Access-Control-Allow-Origin"));
  EXPECT_EQ(r.Handle(MakeRequest("OPTIONS", "/nope", "", pre)).status, 404);

  Headers simple;
  simple.Add("Origin", "https://app.example");
  const Response get = r.Handle(MakeRequest("GET", "/episodes", "", simple));
  EXPECT_EQ(get.status, 200);
  EXPECT_EQ(get.headers.Get("Access-Control-Allow-Origin"), "https://app.example");
  EXPECT_EQ(get.headers.Get("Vary"), "Origin");
  // Error responses carry CORS headers too, so the browser can show them.
  EXPECT_TRUE(
      r.Handle(MakeRequest("GET", "/nope", "", simple)).headers.Has("Access-Control-Allow-Origin"));
}

TEST(RouterTest, CorsWildcardAndValidation) {
  Router r = MakeRouter();
  CorsOptions any;
  any.allowed_origins = {"*"};
  ASSERT_TRUE(r.SetCors(any).ok());
  Headers h;
  h.Add("Origin", "http://localhost:5173");
  EXPECT_EQ(r.Handle(MakeRequest("GET", "/", "", h)).headers.Get("Access-Control-Allow-Origin"),
            "*");

  CorsOptions bad;
  bad.allowed_origins = {"https://app.example/"};
  core::Status s = r.SetCors(bad);
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.errors()[0].path, "cors.allowed_origins[0]");
  bad.allowed_origins = {"app.example"};
  EXPECT_FALSE(r.SetCors(bad).ok());
  bad.allowed_origins = {};
  bad.allowed_headers = {"bad header"};
  EXPECT_FALSE(r.SetCors(bad).ok());
  bad.allowed_headers = {};
  bad.max_age = std::chrono::seconds(-1);
  s = r.SetCors(bad);
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.errors()[0].path, "cors.max_age");
  // The earlier valid settings stay.
  EXPECT_EQ(r.cors().allowed_origins, std::vector<std::string>{"*"});
}

}  // namespace
}  // namespace calfdvt::server

namespace calfdvt::server {
namespace {

// Per-route CORS (CDS Hooks): a route with its own OPTIONS handler answers its preflights, even
// when the router's CORS is off; its response headers are not replaced.
TEST(RouterTest, OwnOptionsHandlerAnswersPreflight) {
  Router r;
  ASSERT_TRUE(r.Add("GET", "/cds-services", [](const Request&, const PathParams&) {
    return Json(200, "{}");
  }).ok());
  ASSERT_TRUE(r.Add("OPTIONS", "/cds-services", [](const Request&, const PathParams&) {
    Response resp = NoContent();
    resp.headers.Set("Access-Control-Allow-Origin", "*");
    return resp;
  }).ok());
  Headers pre;
  pre.Add("Origin", "https://sandbox.example");
  pre.Add("Access-Control-Request-Method", "GET");
  const Response ok = r.Handle(MakeRequest("OPTIONS", "/cds-services", "", pre));
  EXPECT_EQ(ok.status, 204);
  EXPECT_EQ(ok.headers.Get("Access-Control-Allow-Origin"), "*");
}

}  // namespace
}  // namespace calfdvt::server
