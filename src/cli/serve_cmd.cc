// `calfdvt serve`: the HTTP API on SQLite (default) or PostgreSQL, and `calfdvt token create`.
#include <pthread.h>

#include <csignal>
#include <cstdio>
#include <ctime>
#include <memory>

#include "cli/assess_cmd.h"
#include "cli/common.h"
#include "formats/thrombectomy_knowledge_json.h"
#include "server/api.h"
#include "server/auth.h"
#ifdef CALFDVT_HAVE_CDS
#include "server/cds/api.h"
#include "server/cds/clients_file.h"
#endif
#include "server/demo.h"
#include "server/episode_service.h"
#include "server/listener.h"
#include "server/metrics.h"
#include "server/router.h"
#include "server/static_files.h"
#include "store/store.h"

namespace calfdvt::cli {
namespace {

struct ServeOptions {
  KnowledgeChoice knowledge;
  std::string db = "sqlite:calfdvt.db";
  std::string listen = "127.0.0.1:8080";
  bool no_auth = false;
  bool demo = false;
  int threads = 2;
  size_t max_body = 1 << 20;
  std::vector<std::string> cors_origins;
  std::string cds_clients;  // --cds-clients FILE (docs/cds-hooks.md)
  std::string public_url;   // --public-url: JWT audience and card links
  std::string fhir_ca_file;  // --fhir-ca-file: extra CAs for https fhirServer fetches
};

bool IsLoopback(const std::string& host) {
  return host == "127.0.0.1" || host == "localhost" || host == "::1" || host.rfind("127.", 0) == 0;
}

int Serve(const ServeOptions& opt) {
  LoadedKnowledge lk;
  if (auto code = LoadKnowledgeOrExit(opt.knowledge, lk)) return *code;
  server::ServerOptions so;
  const size_t colon = opt.listen.rfind(':');
  if (colon == std::string::npos || colon == 0) {
    std::fprintf(stderr, "error: --listen: expected HOST:PORT (got \"%s\")\n", opt.listen.c_str());
    return kExitInvalid;
  }
  so.host = opt.listen.substr(0, colon);
  if (so.host.size() > 2 && so.host.front() == '[' && so.host.back() == ']')
    so.host = so.host.substr(1, so.host.size() - 2);
  const std::string port = opt.listen.substr(colon + 1);
  try {
    size_t used = 0;
    const int p = std::stoi(port, &used);
    if (used != port.size() || p < 0 || p > 65535) throw std::out_of_range("port");
    so.port = static_cast<uint16_t>(p);
  } catch (const std::exception&) {
    std::fprintf(stderr, "error: --listen: port must be 0-65535 (got \"%s\")\n", port.c_str());
    return kExitInvalid;
  }
  so.threads = opt.threads;
  so.max_body_bytes = opt.max_body;
  if (auto st = server::ValidateServerOptions(so); !st.ok()) {
    PrintErrors(st.errors(), "error: ");
    return kExitInvalid;
  }
  const bool open = opt.no_auth || opt.demo;
  if (open && !IsLoopback(so.host)) {
    std::fprintf(stderr,
                 "error: refusing to listen on %s without authentication: use tokens "
                 "(calfdvt token create) or listen on 127.0.0.1\n",
                 so.host.c_str());
    return kExitInvalid;
  }

  auto store = store::OpenStore(opt.db);
  if (!store.ok()) {
    PrintErrors(store.errors(), "error: --db: ");
    return ExitFor(store.kind());
  }
  if (!open) {
    auto n = (*store)->CountTokens();
    if (n.ok() && *n == 0)
      std::fprintf(stderr,
                   "warning: authentication is on and no API token exists yet: create one with\n"
                   "  calfdvt token create --db %s --role clinician --label NAME\n",
                   opt.db.c_str());
  }
  server::ServiceContext sc{store->get(), &lk.knowledge, &server::SystemClock(), &server::SystemRandom()};
  server::EpisodeService service(sc);
  if (opt.demo) {
    auto seeded = server::SeedDemoData(service, **store, server::SystemClock().Today());
    if (!seeded.ok()) {
      PrintErrors(seeded.errors(), "error: demo data: ");
      return ExitFor(seeded.kind());
    }
    if (*seeded > 0) std::fprintf(stderr, "calfdvt: seeded %d demo episodes (patients DEMO-001..)\n", *seeded);
  }
  server::Authenticator auth(store->get(), open);
  server::Metrics metrics;
  server::Router router;
  if (!opt.cors_origins.empty()) {
    server::CorsOptions cors;
    cors.allowed_origins = opt.cors_origins;
    if (auto st = router.SetCors(cors); !st.ok()) {
      PrintErrors(st.errors(), "error: --cors-origin: ");
      return kExitInvalid;
    }
  }
  auto procedure_knowledge = formats::LoadEmbeddedThrombectomyKnowledge();
  if (!procedure_knowledge.ok()) {
    PrintErrors(procedure_knowledge.errors(), "internal: calf-squeeze knowledge: ");
    return kExitInternal;
  }
  server::ProcedureService procedures(server::ProcedureServiceContext{
      store->get(), &procedure_knowledge.value(), &server::SystemClock(), &server::SystemRandom()});
  server::ApiContext ac{&service, &auth, &metrics, store->get(), &server::SystemClock(),
                        &procedures};
  if (auto st = server::RegisterApi(router, ac); !st.ok()) {
    PrintErrors(st.errors(), "internal: ");
    return kExitInternal;
  }
  // CDS Hooks (docs/cds-hooks.md): with --cds-clients every call needs a client JWT; without it
  // the CDS endpoints exist only in the loopback demo mode.
#ifdef CALFDVT_HAVE_CDS
  std::unique_ptr<server::cds::ClientVerifier> cds_verifier;
  std::unique_ptr<server::cds::Service> cds_service;
  if (!opt.cds_clients.empty() || open) {
    if (!opt.cds_clients.empty()) {
      auto clients = server::cds::LoadClientsFile(opt.cds_clients);
      if (!clients.ok()) {
        PrintErrors(clients.errors(), "error: --cds-clients: ");
        return kExitInvalid;
      }
      cds_verifier = std::make_unique<server::cds::ClientVerifier>(std::move(clients.value()));
    }
    cds_service = std::make_unique<server::cds::Service>(
        server::cds::ServiceContext{&lk.knowledge, store->get(), &server::SystemClock(),
                                    &server::SystemRandom()},
        server::cds::ServiceOptions{server::cds::FhirClientOptions{.ca_file = opt.fhir_ca_file}, ""});
    server::cds::ApiContext cc;
    cc.service = cds_service.get();
    cc.verifier = cds_verifier.get();
    cc.auth = &auth;
    cc.options.public_url = opt.public_url;
    while (!cc.options.public_url.empty() && cc.options.public_url.back() == '/')
      cc.options.public_url.pop_back();
    if (auto st = server::cds::RegisterCdsApi(router, cc); !st.ok()) {
      PrintErrors(st.errors(), "internal: ");
      return kExitInternal;
    }
    std::fprintf(stderr, "calfdvt: CDS Hooks at /cds-services (%s)\n",
                 cds_verifier ? "client JWTs required" : "open: loopback demo, no client JWTs");
  } else {
    std::fprintf(stderr, "calfdvt: CDS Hooks off (give --cds-clients FILE to serve them)\n");
  }
#else
  if (!opt.cds_clients.empty()) {
    std::fprintf(stderr, "error: --cds-clients: this build has no CDS Hooks (FHIR mapping missing)\n");
    return kExitInvalid;
  }
#endif
  if (auto st = server::RegisterStaticFiles(router, server::EmbeddedSite()); !st.ok()) {
    PrintErrors(st.errors(), "internal: web app: ");
    return kExitInternal;
  }
  // SIGINT/SIGTERM are blocked from here on (the I/O threads Start creates inherit the mask) and
  // taken with sigtimedwait below, so a signal that arrives as soon as "listening" is printed is
  // not lost to the default action (termination) before a handler is in place: it stops the server
  // gracefully like any later one.
  sigset_t stop_signals;
  sigemptyset(&stop_signals);
  sigaddset(&stop_signals, SIGINT);
  sigaddset(&stop_signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr);
  server::HttpServer http(so, &metrics);
  auto bound = http.Start(router);
  if (!bound.ok()) {
    PrintErrors(bound.errors(), "error: ");
    return ExitFor(bound.kind());
  }
  const std::string host = so.host.find(':') != std::string::npos ? "[" + so.host + "]" : so.host;
  std::fprintf(stderr, "calfdvt %s: knowledge %s %s (profile %s), store %s\n",
               open ? "DEMO MODE (no authentication, loopback only)" : "serving",
               lk.knowledge.id.c_str(), lk.knowledge.version.c_str(),
               lk.knowledge.default_profile.c_str(), opt.db.rfind("sqlite:", 0) == 0 ? opt.db.c_str() : "postgresql");
  std::printf("calfdvt listening on http://%s:%u/  (web app: /, API: /api/v1, health: /healthz)\n", host.c_str(),
              static_cast<unsigned>(*bound));
  std::fflush(stdout);
  int sig = 0;
  while (sig <= 0 && http.running()) {
    const timespec poll{0, 200'000'000};  // also notice a server that stopped by other means
    sig = sigtimedwait(&stop_signals, nullptr, &poll);
  }
  if (sig > 0) {
    std::fprintf(stderr, "http signal=%d stopping gracefully\n", sig);
    http.Stop(server::StopMode::kGraceful);
  }
  std::fprintf(stderr, "calfdvt: %s, stopped cleanly\n", sig > 0 ? "signal received" : "server stopped");
  return kExitOk;
}

int CreateTokenCmd(const std::string& db, const std::string& role_name, const std::string& label) {
  auto role = server::kRoleNames.Parse(role_name);
  if (!role) {
    std::fprintf(stderr, "error: --role: must be viewer | clinician | admin\n");
    return kExitInvalid;
  }
  auto store = store::OpenStore(db);
  if (!store.ok()) {
    PrintErrors(store.errors(), "error: --db: ");
    return ExitFor(store.kind());
  }
  auto t = server::CreateToken(**store, server::SystemRandom(), server::SystemClock(), *role, label, "cli");
  if (!t.ok()) {
    PrintErrors(t.errors(), "error: --");
    return ExitFor(t.kind());
  }
  std::printf("%s\n", t->secret.c_str());
  std::fprintf(stderr, "token %s created (role %s, label \"%s\"). The secret above is shown once; "
               "only its SHA-256 is stored.\n", t->id.c_str(), role_name.c_str(), label.c_str());
  return kExitOk;
}

}  // namespace

void AddServeCommand(CLI::App& app, int* exit_code) {
  auto opt = std::make_shared<ServeOptions>();
  CLI::App* cmd = app.add_subcommand("serve", "Run the HTTP JSON API (surveillance episodes, worklist, assessment)");
  cmd->add_option("--db", opt->db, "Store: sqlite:PATH (default sqlite:calfdvt.db) or postgresql://...");
  cmd->add_option("--listen", opt->listen, "HOST:PORT to listen on (default 127.0.0.1:8080; port 0 picks a free one)");
  cmd->add_option("--knowledge", opt->knowledge.file, "Knowledge file (default: embedded)");
  cmd->add_option("--threads", opt->threads, "I/O threads (default 2)");
  cmd->add_option("--max-body", opt->max_body, "Largest request body in bytes (default 1048576)");
  cmd->add_option("--cors-origin", opt->cors_origins, "Allow browser calls from this origin (repeatable; * for any)");
  cmd->add_option("--cds-clients", opt->cds_clients,
                  "CDS Hooks client allow-list (issuers and JWKS, docs/cds-hooks.md); every CDS call then needs a JWT");
  cmd->add_option("--public-url", opt->public_url,
                  "Public base URL of this server (CDS JWT audience, card links); default http://<Host>");
  cmd->add_option("--fhir-ca-file", opt->fhir_ca_file,
                  "Extra trusted CA certificates (PEM) for https FHIR servers the CDS services fetch from");
  cmd->add_flag("--no-auth", opt->no_auth, "Loopback-only demo mode without API tokens");
  cmd->add_flag("--demo", opt->demo, "Seed demo episodes and run without tokens (loopback only)");
  cmd->callback([opt, exit_code] { *exit_code = Serve(*opt); });

  auto db = std::make_shared<std::string>("sqlite:calfdvt.db");
  auto role = std::make_shared<std::string>();
  auto label = std::make_shared<std::string>();
  CLI::App* token = app.add_subcommand("token", "Manage API tokens");
  token->require_subcommand(1);
  CLI::App* create = token->add_subcommand("create", "Create an API token; prints the secret once");
  create->add_option("--db", *db, "Store (as for serve)");
  create->add_option("--role", *role, "viewer | clinician | admin")->required();
  create->add_option("--label", *label, "Who holds the token (recorded in the audit trail)")->required();
  create->callback([db, role, label, exit_code] { *exit_code = CreateTokenCmd(*db, *role, *label); });
}

}  // namespace calfdvt::cli
