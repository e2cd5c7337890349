#include "server/static_files.h"

#include <gtest/gtest.h>

#include <string>

namespace calfdvt::server {
namespace {

const std::vector<StaticFile> kFiles = {
    {"index.html", "<!doctype html><title>app</title>"},
    {"assets/index-abc123.js", "console.log(1)"},
    {"assets/index-abc123.css", "body{}"},
    {"assets/logo.svg", "<svg/>"},
    {"favicon.svg", "<svg/>"},
    {"../secret.txt", "leak"},      // unsafe names never enter the site
    {".env", "SECRET=1"},
    {"assets/.hidden.js", "x"},
};

Router MakeSiteRouter(const StaticSite& site) {
  Router r;
  EXPECT_TRUE(RegisterStaticFiles(r, site).ok());
  EXPECT_TRUE(r.Add("GET", "/api/v1/knowledge", [](const Request&, const PathParams&) {
                 return Json(200, "{}");
               }).ok());
  return r;
}

std::string HeaderOf(const Response& r, std::string_view name) {
  auto v = r.headers.Get(name);
  return v ? std::string(*v) : std::string();
}

TEST(StaticFilesTest, ServesIndexAtRootWithNoCache) {
  const StaticSite site(kFiles);
  const Router r = MakeSiteRouter(site);
  for (const char* path : {"/", "/index.html"}) {
    const Response res = r.Handle(MakeRequest("GET", path));
    EXPECT_EQ(res.status, 200) << path;
    EXPECT_EQ(res.content_type, "text/html; charset=utf-8");
    EXPECT_EQ(res.body, "<!doctype html><title>app</title>");
    EXPECT_EQ(HeaderOf(res, "Cache-Control"), "no-cache");
    EXPECT_NE(HeaderOf(res, "Content-Security-Policy"), "");
  }
}

TEST(StaticFilesTest, HashedAssetsAreImmutableWithTheirContentTypes) {
  const StaticSite site(kFiles);
  const Router r = MakeSiteRouter(site);
  const Response js = r.Handle(MakeRequest("GET", "/assets/index-abc123.js"));
  EXPECT_EQ(js.status, 200);
  EXPECT_EQ(js.content_type, "text/javascript; charset=utf-8");
  EXPECT_EQ(js.body, "console.log(1)");
  EXPECT_EQ(HeaderOf(js, "Cache-Control"), "public, max-age=31536000, immutable");
  EXPECT_EQ(HeaderOf(js, "X-Content-Type-Options"), "nosniff");
  EXPECT_EQ(r.Handle(MakeRequest("GET", "/assets/index-abc123.css")).content_type,
            "text/css; charset=utf-8");
  EXPECT_EQ(r.Handle(MakeRequest("GET", "/assets/logo.svg")).content_type, "image/svg+xml");
  const Response icon = r.Handle(MakeRequest("GET", "/favicon.svg"));
  EXPECT_EQ(icon.status, 200);
  EXPECT_EQ(HeaderOf(icon, "Cache-Control"), "no-cache");
}

TEST(StaticFilesTest, ContentTypes) {
  EXPECT_EQ(ContentTypeFor("a.html"), "text/html; charset=utf-8");
  EXPECT_EQ(ContentTypeFor("a.json"), "application/json");
  EXPECT_EQ(ContentTypeFor("a.woff2"), "font/woff2");
  EXPECT_EQ(ContentTypeFor("a.png"), "image/png");
  EXPECT_EQ(ContentTypeFor("noext"), "application/octet-stream");
  EXPECT_EQ(ContentTypeFor("a.js.exe"), "application/octet-stream");
}

TEST(StaticFilesTest, UnknownFilesAre404) {
  const StaticSite site(kFiles);
  const Router r = MakeSiteRouter(site);
  for (const char* path : {"/assets/nope.js", "/assets/", "/assets", "/nope.html", "/robots.txt",
                           "/assets/index-abc123.js/x", "/index.htm"}) {
    const Response res = r.Handle(MakeRequest("GET", path));
    EXPECT_EQ(res.status, 404) << path;
    EXPECT_EQ(res.content_type, "application/json") << path;
  }
}

TEST(StaticFilesTest, NoDirectoryTraversal) {
  const StaticSite site(kFiles);
  const Router r = MakeSiteRouter(site);
  EXPECT_EQ(site.size(), 5u) << "unsafe names are dropped at construction";
  for (const char* path :
       {"/assets/../index.html", "/assets/..%2Findex.html", "/assets/%2E%2E%2Fsecret.txt",
        "/assets/..%2F..%2Fsecret.txt", "/../secret.txt", "/assets/%2e%2e", "/.env",
        "/assets/.hidden.js", "/assets/%2Fetc%2Fpasswd", "/assets/..%5Csecret.txt",
        "/assets/index-abc123.js%00.html"}) {
    const Response res = r.Handle(MakeRequest("GET", path));
    EXPECT_NE(res.status, 200) << path;
    EXPECT_EQ(res.body.find("leak"), std::string::npos) << path;
    EXPECT_EQ(res.body.find("SECRET"), std::string::npos) << path;
  }
  EXPECT_EQ(site.Serve("../secret.txt").status, 404);
  EXPECT_EQ(site.Serve("/index.html").status, 404);
  EXPECT_EQ(site.Serve("assets//index-abc123.js").status, 404);
}

TEST(StaticFilesTest, HeadAndWrongMethod) {
  const StaticSite site(kFiles);
  const Router r = MakeSiteRouter(site);
  EXPECT_EQ(r.Handle(MakeRequest("HEAD", "/")).status, 200);
  EXPECT_EQ(r.Handle(MakeRequest("POST", "/")).status, 405);
}

TEST(StaticFilesTest, WithoutABuiltAppTheRootExplainsHowToBuildIt) {
  const StaticSite empty(std::vector<StaticFile>{});
  EXPECT_FALSE(empty.has_app());
  const Router r = MakeSiteRouter(empty);
  const Response res = r.Handle(MakeRequest("GET", "/"));
  EXPECT_EQ(res.status, 503);
  EXPECT_EQ(res.content_type, "text/html; charset=utf-8");
  EXPECT_NE(res.body.find("npm run build"), std::string::npos);
  EXPECT_EQ(r.Handle(MakeRequest("GET", "/assets/index-abc123.js")).status, 404);
  EXPECT_EQ(r.Handle(MakeRequest("GET", "/api/v1/knowledge")).status, 200)
      << "the API works without the app";
}

}  // namespace
}  // namespace calfdvt::server
