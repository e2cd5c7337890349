// The HTTP transport alone under load: calfdvt's HttpServer with handlers that return a fixed
// ~2 KB JSON body, for bench/http_load.sh (compare with nginx serving the same bytes).
//
//   http_echo_server [--port N] [--threads N] [--access-log]
//
// Routes: GET /echo and POST /echo (fixed body; POST ignores its body), GET /metrics.
// Prints "listening on 127.0.0.1:PORT" to stdout once bound; stops gracefully on SIGINT/SIGTERM.
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

#include "server/listener.h"

namespace {

using calfdvt::server::HttpServer;
using calfdvt::server::Metrics;
using calfdvt::server::PathParams;
using calfdvt::server::Request;
using calfdvt::server::Response;
using calfdvt::server::Router;
using calfdvt::server::ServerOptions;

// A fixed JSON document of exactly `size` bytes (shape of a small assessment response).
std::string FixedBody(size_t size) {
  std::string body = R"({"knowledge":{"id":"calf-dvt","version":"1.0.0"},"items":[)";
  std::string item = R"({"rule":"R-000","fired":true,"value":12.5,"text":"padding"},)";
  while (body.size() + item.size() + 16 < size) body += item;
  body += R"({"end":true}],"pad":")";
  while (body.size() + 2 < size) body.push_back('x');
  body += "\"}";
  return body;
}

int Usage() {
  std::fprintf(stderr, "usage: http_echo_server [--port N] [--threads N] [--access-log]\n");
  return 2;
}

}  // namespace

int main(int argc, char** argv) {
  ServerOptions options;
  options.port = 0;
  options.access_log = false;
  for (int i = 1; i < argc; ++i) {
    const std::string_view arg = argv[i];
    if (arg == "--port" && i + 1 < argc) {
      options.port = static_cast<uint16_t>(std::atoi(argv[++i]));
    } else if (arg == "--threads" && i + 1 < argc) {
      options.threads = std::atoi(argv[++i]);
    } else if (arg == "--access-log") {
      options.access_log = true;
    } else {
      return Usage();
    }
  }

  const std::string body = FixedBody(2048);
  Metrics metrics;
  Router router;
  const auto echo = [&body](const Request&, const PathParams&) {
    return calfdvt::server::Json(200, body);
  };
  if (!router.Add("GET", "/echo", echo).ok() || !router.Add("POST", "/echo", echo).ok() ||
      !router
           .Add("GET", "/metrics",
                [&metrics](const Request&, const PathParams&) {
                  return calfdvt::server::Text(200, metrics.RenderPrometheus(),
                                               "text/plain; version=0.0.4");
                })
           .ok()) {
    std::fprintf(stderr, "route registration failed\n");
    return 1;
  }

  HttpServer server(options, &metrics);
  auto port = server.Start(router);
  if (!port.ok()) {
    std::fprintf(stderr, "%s\n", calfdvt::core::FormatError(port.errors()[0]).c_str());
    return 1;
  }
  std::printf("listening on %s:%u\n", options.host.c_str(), static_cast<unsigned>(*port));
  std::fflush(stdout);
  calfdvt::server::StopOnSignal(server);
  return 0;
}
