#include "server/cds/fhir_client.h"

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/asio/ssl/host_name_verification.hpp>
#include <boost/beast/ssl.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/empty_body.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/beast/http/write.hpp>
#include <memory>
#include <optional>

namespace calfdvt::server::cds {
namespace {

namespace net = boost::asio;
namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
using tcp = net::ip::tcp;

struct Url {
  bool tls = false;
  std::string host;
  std::string port = "80";
  std::string path;  // without trailing '/'
};

std::optional<Url> ParseHttpUrl(std::string_view url, std::string& error) {
  Url out;
  if (url.substr(0, 8) == "https://") {
    out.tls = true;
    out.port = "443";
    url.remove_prefix(8);
  } else if (url.substr(0, 7) == "http://") {
    url.remove_prefix(7);
  } else {
    error = "fhirServer must be an http:// or https:// URL";
    return std::nullopt;
  }
  const size_t slash = url.find('/');
  std::string_view authority = url.substr(0, slash);
  out.path = slash == std::string_view::npos ? "" : std::string(url.substr(slash));
  while (!out.path.empty() && out.path.back() == '/') out.path.pop_back();
  if (authority.find('@') != std::string_view::npos || authority.empty()) {
    error = "fhirServer must name a host (no user info)";
    return std::nullopt;
  }
  if (authority.front() == '[') {  // IPv6 literal
    const size_t close = authority.find(']');
    if (close == std::string_view::npos) {
      error = "fhirServer has a malformed IPv6 host";
      return std::nullopt;
    }
    out.host = std::string(authority.substr(1, close - 1));
    if (close + 1 < authority.size() && authority[close + 1] == ':')
      out.port = std::string(authority.substr(close + 2));
  } else {
    const size_t colon = authority.rfind(':');
    out.host = std::string(authority.substr(0, colon));
    if (colon != std::string_view::npos) out.port = std::string(authority.substr(colon + 1));
  }
  if (out.host.empty() || out.port.empty() ||
      out.port.find_first_not_of("0123456789") != std::string::npos) {
    error = "fhirServer has a malformed host or port";
    return std::nullopt;
  }
  return out;
}

// One GET on its own connection. Completion is recorded in `answer`/`error`; the owner checks
// `done` after the event loop stops.
struct Call : std::enable_shared_from_this<Call> {
  Call(net::io_context& ioc, net::ssl::context* tls_ctx, const Url& url, std::string bearer,
       const FhirQuery& q, size_t limit, std::chrono::steady_clock::time_point deadline)
      : resolver(ioc), url(url), bearer(std::move(bearer)), query(q) {
    if (tls_ctx != nullptr) tls = std::make_unique<beast::ssl_stream<beast::tcp_stream>>(ioc, *tls_ctx);
    else plain = std::make_unique<beast::tcp_stream>(ioc);
    parser.body_limit(limit);
    Lowest().expires_at(deadline);
    answer.key = q.key;
  }

  beast::tcp_stream& Lowest() { return tls ? beast::get_lowest_layer(*tls) : *plain; }
  // Runs f on the stream requests go through (TLS or plain TCP).
  template <class F>
  void WithStream(F&& f) {
    if (tls) f(*tls);
    else f(*plain);
  }

  void Start() {
    resolver.async_resolve(url.host, url.port,
                           [self = shared_from_this()](beast::error_code ec,
                                                       tcp::resolver::results_type results) {
                             if (ec) return self->Fail("cannot resolve the FHIR server");
                             self->Lowest().async_connect(
                                 results, [self](beast::error_code ec2, const tcp::endpoint&) {
                                   if (ec2) return self->Fail("cannot connect to the FHIR server");
                                   if (self->tls) return self->Handshake();
                                   self->Send();
                                 });
                           });
  }

  // TLS: SNI, certificate chain against the trusted CAs, and the certificate's name against the
  // host (RFC 6125), before any request byte is sent.
  void Handshake() {
    if (SSL_set_tlsext_host_name(tls->native_handle(), url.host.c_str()) != 1)
      return Fail("cannot set the TLS server name");
    tls->set_verify_mode(net::ssl::verify_peer);
    tls->set_verify_callback(net::ssl::host_name_verification(url.host));
    tls->async_handshake(net::ssl::stream_base::client, [self = shared_from_this()](beast::error_code ec) {
      if (ec) return self->Fail("TLS handshake with the FHIR server failed (certificate not trusted?)");
      self->Send();
    });
  }

  void Send() {
    request.method(bhttp::verb::get);
    request.target(url.path + "/" + query.relative);
    request.version(11);
    request.set(bhttp::field::host, url.host + ":" + url.port);
    request.set(bhttp::field::accept, "application/fhir+json, application/json");
    request.set(bhttp::field::connection, "close");
    if (!bearer.empty()) request.set(bhttp::field::authorization, "Bearer " + bearer);
    WithStream([this](auto& stream) {
      bhttp::async_write(stream, request, [self = shared_from_this()](beast::error_code ec, size_t) {
        if (ec) return self->Fail("cannot send to the FHIR server");
        self->WithStream([self](auto& s) { self->Read(s); });
      });
    });
  }

  template <class Stream>
  void Read(Stream& s) {
    bhttp::async_read(s, buffer, parser, [self = shared_from_this()](beast::error_code ec, size_t) {
      if (ec == bhttp::error::body_limit) return self->Fail("the FHIR server's answer is too large");
      if (ec)
        return self->Fail(ec == beast::error::timeout ? "the FHIR server did not answer in time"
                                                      : "cannot read the FHIR server's answer");
      self->answer.status = self->parser.get().result_int();
      self->answer.body = std::move(self->parser.get().body());
      self->done = true;
      beast::error_code ignored;
      self->Lowest().socket().shutdown(tcp::socket::shutdown_both, ignored);
    });
  }

  void Fail(std::string why) {
    if (error.empty()) error = std::move(why);
    beast::error_code ignored;
    Lowest().socket().close(ignored);
  }

  tcp::resolver resolver;
  std::unique_ptr<beast::tcp_stream> plain;
  std::unique_ptr<beast::ssl_stream<beast::tcp_stream>> tls;
  Url url;
  std::string bearer;
  FhirQuery query;
  bhttp::request<bhttp::empty_body> request;
  beast::flat_buffer buffer;
  bhttp::response_parser<bhttp::string_body> parser;
  FhirAnswer answer;
  bool done = false;
  std::string error;
};

}  // namespace

core::Result<std::vector<FhirAnswer>> FhirClient::Fetch(std::string_view base,
                                                        std::string_view bearer,
                                                        const std::vector<FhirQuery>& queries) {
  using R = core::Result<std::vector<FhirAnswer>>;
  std::string error;
  const auto url = ParseHttpUrl(base, error);
  if (!url) return R::Invalid("fhirServer", "scheme", error);
  if (running_.fetch_add(1) >= options_.max_concurrent) {
    running_.fetch_sub(1);
    return R(core::ErrorKind::kConflict,
             {core::Error{"fhirServer", "busy", "too many FHIR fetches in progress; retry"}});
  }
  struct Release {
    std::atomic<int>& n;
    ~Release() { n.fetch_sub(1); }
  } release{running_};

  // TLS: the system's trusted CAs, plus options_.ca_file when given (a private CA).
  std::unique_ptr<net::ssl::context> tls_ctx;
  if (url->tls) {
    tls_ctx = std::make_unique<net::ssl::context>(net::ssl::context::tls_client);
    beast::error_code ec;
    tls_ctx->set_default_verify_paths(ec);
    if (!options_.ca_file.empty()) tls_ctx->load_verify_file(options_.ca_file, ec);
    if (ec)
      return R(core::ErrorKind::kInternal,
               {core::Error{"fhirServer", "tls", "cannot load the trusted CA certificates"}});
  }
  net::io_context ioc(1);
  const auto deadline = std::chrono::steady_clock::now() + options_.deadline;
  std::vector<std::shared_ptr<Call>> calls;
  for (const FhirQuery& q : queries) {
    calls.push_back(std::make_shared<Call>(ioc, tls_ctx.get(), *url, std::string(bearer), q,
                                           options_.max_response_bytes, deadline));
    calls.back()->Start();
  }
  // The streams' own timers end every operation by the deadline; run_until is a second bound
  // (name resolution is not covered by the stream timer).
  ioc.run_until(deadline + std::chrono::milliseconds(50));
  ioc.stop();

  std::vector<FhirAnswer> out;
  for (const auto& c : calls) {
    if (!c->done) {
      const std::string why = c->error.empty() ? "the FHIR server did not answer in time" : c->error;
      return R(core::ErrorKind::kInternal,
               {core::Error{"prefetch." + c->query.key, "fhir_fetch", why}});
    }
    if (c->answer.status != 200)
      return R(core::ErrorKind::kInternal,
               {core::Error{"prefetch." + c->query.key, "fhir_fetch",
                            "the FHIR server answered HTTP " + std::to_string(c->answer.status)}});
    out.push_back(std::move(c->answer));
  }
  return out;
}

}  // namespace calfdvt::server::cds
