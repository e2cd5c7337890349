#include "store/pg_db.h"

#include <libpq-fe.h>
#include <poll.h>

#include <cstdlib>

#include "store/store_common.h"

namespace calfdvt::store::pg {
namespace {

void IgnoreNotice(void*, const char*) {}

// Messages name the operation and the SQLSTATE; the server's primary message is kept except for
// data exceptions (class 22), whose text can quote the offending value.
core::Status PgError(PGconn* c, const PGresult* r, std::string_view op) {
  const char* state = r != nullptr ? PQresultErrorField(r, PG_DIAG_SQLSTATE) : nullptr;
  const std::string sqlstate = state != nullptr ? state : "";
  if (sqlstate == "23505") {
    return internal::Conflict(std::string(op) + ": the record already exists");
  }
  if (sqlstate == "40001" || sqlstate == "40P01") {
    return internal::Conflict(std::string(op) + ": concurrent update, retry");
  }
  std::string msg = "postgresql: " + std::string(op);
  if (sqlstate.empty()) {
    msg += PQstatus(c) == CONNECTION_OK ? ": request failed" : ": connection lost";
    return internal::Internal(msg);
  }
  msg += ": SQLSTATE " + sqlstate;
  const char* primary = PQresultErrorField(r, PG_DIAG_MESSAGE_PRIMARY);
  if (primary != nullptr && sqlstate.compare(0, 2, "22") != 0) msg += ": " + std::string(primary);
  return internal::Internal(msg);
}

}  // namespace

// ---- COPY text format ----

void CopyField(std::string& line, std::string_view value, bool first) {
  if (!first) line += '\t';
  for (char ch : value) {
    switch (ch) {
      case '\\':
        line += "\\\\";
        break;
      case '\n':
        line += "\\n";
        break;
      case '\r':
        line += "\\r";
        break;
      case '\t':
        line += "\\t";
        break;
      default:
        line += ch;
    }
  }
}

void CopyNull(std::string& line, bool first) {
  if (!first) line += '\t';
  line += "\\N";
}

// ---- Params ----

Params& Params::Add(std::string_view text) {
  values_.push_back(storage_.emplace_back(text).c_str());
  return *this;
}
Params& Params::Add(int64_t v) { return Add(std::to_string(v)); }
Params& Params::Add(core::Date d) { return Add(d.ToString()); }
Params& Params::Add(const std::optional<core::Date>& d) { return d ? Add(*d) : AddNull(); }
Params& Params::AddNull() {
  values_.push_back(nullptr);
  return *this;
}

// ---- Res ----

void Res::Deleter::operator()(pg_result* r) const { PQclear(r); }
Res::Res(pg_result* r) : r_(r) {}
Res::~Res() = default;

int Res::rows() const { return PQntuples(r_.get()); }
int64_t Res::affected() const { return std::strtoll(PQcmdTuples(r_.get()), nullptr, 10); }
bool Res::IsNull(int row, int col) const { return PQgetisnull(r_.get(), row, col) != 0; }
std::string Res::Text(int row, int col) const {
  return std::string(PQgetvalue(r_.get(), row, col),
                     static_cast<size_t>(PQgetlength(r_.get(), row, col)));
}
int64_t Res::Int(int row, int col) const {
  return std::strtoll(PQgetvalue(r_.get(), row, col), nullptr, 10);
}
bool Res::Bool(int row, int col) const { return PQgetvalue(r_.get(), row, col)[0] == 't'; }
core::Date Res::DateAt(int row, int col) {
  const std::optional<core::Date> d = core::Date::Parse(PQgetvalue(r_.get(), row, col));
  if (!d) {
    corrupt_ = true;
    return core::Date{};
  }
  return *d;
}
std::optional<core::Date> Res::OptDate(int row, int col) {
  if (IsNull(row, col)) return std::nullopt;
  return DateAt(row, col);
}

// ---- Conn ----

Conn::~Conn() { PQfinish(c_); }

core::Result<Res> Conn::Exec(std::string_view sql, const Params& params, std::string_view op) {
  const std::string text(sql);
  PGresult* r = PQexecParams(c_, text.c_str(), params.size(), nullptr, params.values(), nullptr,
                             nullptr, /*resultFormat=*/0);
  const ExecStatusType st = r != nullptr ? PQresultStatus(r) : PGRES_FATAL_ERROR;
  if (st != PGRES_COMMAND_OK && st != PGRES_TUPLES_OK) {
    core::Status err = PgError(c_, r, op);
    PQclear(r);
    return internal::FailureOf(err);
  }
  return Res(r);
}

core::Status Conn::Command(std::string_view sql, std::string_view op) {
  const std::string text(sql);
  PGresult* r = PQexec(c_, text.c_str());
  const ExecStatusType st = r != nullptr ? PQresultStatus(r) : PGRES_FATAL_ERROR;
  core::Status out = core::OkStatus();
  if (st != PGRES_COMMAND_OK && st != PGRES_TUPLES_OK) out = PgError(c_, r, op);
  PQclear(r);
  return out;
}

core::Status Conn::Copy(std::string_view copy_sql, std::string_view data, std::string_view op) {
  const std::string text(copy_sql);
  PGresult* r = PQexec(c_, text.c_str());
  if (r == nullptr || PQresultStatus(r) != PGRES_COPY_IN) {
    core::Status err = PgError(c_, r, op);
    PQclear(r);
    return err;
  }
  PQclear(r);
  constexpr size_t kChunk = 1 << 20;
  bool sent = true;
  for (size_t off = 0; off < data.size() && sent; off += kChunk) {
    const size_t n = std::min(kChunk, data.size() - off);
    sent = PQputCopyData(c_, data.data() + off, static_cast<int>(n)) == 1;
  }
  if (PQputCopyEnd(c_, sent ? nullptr : "client failed to send data") != 1) {
    return internal::Internal("postgresql: " + std::string(op) + ": copy failed");
  }
  core::Status out = core::OkStatus();
  while ((r = PQgetResult(c_)) != nullptr) {
    if (PQresultStatus(r) != PGRES_COMMAND_OK && out.ok()) out = PgError(c_, r, op);
    PQclear(r);
  }
  return out;
}

bool Conn::Reusable() const {
  return PQstatus(c_) == CONNECTION_OK && PQtransactionStatus(c_) == PQTRANS_IDLE;
}

// ---- Tx ----

core::Result<Tx> Tx::Begin(Conn& c, std::string_view begin_sql) {
  STORE_RETURN_IF_ERROR(c.Command(begin_sql, "begin transaction"));
  return Tx(&c);
}

Tx::~Tx() {
  if (conn_ != nullptr) (void)conn_->Command("ROLLBACK", "rollback");
}

core::Status Tx::Commit() {
  Conn* c = conn_;
  conn_ = nullptr;
  auto st = c->Command("COMMIT", "commit");
  // A failed COMMIT ends the transaction on the server (rolled back); nothing is left to undo.
  return st;
}

// ---- Pool ----

core::Result<std::unique_ptr<Pool>> Pool::Open(std::string conninfo, int max_connections) {
  std::unique_ptr<Pool> pool(new Pool(std::move(conninfo), std::max(1, max_connections)));
  STORE_ASSIGN_OR_RETURN(auto first, pool->Connect());
  pool->idle_.push_back(std::move(first));
  pool->open_ = 1;
  return pool;
}

Pool::~Pool() = default;

core::Result<std::unique_ptr<Conn>> Pool::Connect() {
  auto conn = std::make_unique<Conn>(PQconnectdb(conninfo_.c_str()));
  PGconn* c = conn->raw();
  if (c == nullptr || PQstatus(c) != CONNECTION_OK) {
    // libpq's message names host and port, never the password.
    std::string why = c != nullptr ? PQerrorMessage(c) : "out of memory";
    while (!why.empty() && (why.back() == '\n' || why.back() == ' ')) why.pop_back();
    return internal::Internal<std::unique_ptr<Conn>>("postgresql: connect: " + why);
  }
  PQsetNoticeProcessor(c, IgnoreNotice, nullptr);
  // ISO dates on output; commits wait for the WAL flush, so an acknowledged write is durable.
  STORE_RETURN_IF_ERROR(
      conn->Command("SET datestyle = 'ISO, YMD'; SET synchronous_commit = on; "
                    "SET client_encoding = 'UTF8'",
                    "configure connection"));
  return conn;
}

namespace {

// An idle connection has nothing to read: no query is in flight and calfdvt uses no
// LISTEN/NOTIFY. Readable data or a hang-up while idle means the server ended the session.
bool IdleAndHealthy(pg_conn* c) {
  const int fd = PQsocket(c);
  if (fd < 0 || PQstatus(c) != CONNECTION_OK) return false;
  pollfd p{fd, POLLIN, 0};
  const int n = poll(&p, 1, 0);
  return n == 0;
}

}  // namespace

core::Result<Pool::Lease> Pool::Acquire() {
  std::unique_lock lock(mu_);
  cv_.wait(lock, [&] { return !idle_.empty() || open_ < max_; });
  while (!idle_.empty()) {
    auto c = std::move(idle_.back());
    idle_.pop_back();
    // A backend terminated while the connection sat idle (server restart, pg_terminate_backend)
    // has sent its farewell and closed the socket: reading what is pending (non-blocking) marks
    // the connection bad, so it is replaced here instead of failing the caller's first statement.
    if (IdleAndHealthy(c->raw()) && c->Reusable()) return Lease(this, std::move(c));
    c.reset();
    --open_;
  }
  ++open_;
  lock.unlock();
  auto c = Connect();
  if (!c.ok()) {
    std::lock_guard relock(mu_);
    --open_;
    cv_.notify_one();
    return internal::FailureOf(c);
  }
  return Lease(this, std::move(c).value());
}

void Pool::Release(std::unique_ptr<Conn> c) {
  std::lock_guard lock(mu_);
  if (c->Reusable()) {
    idle_.push_back(std::move(c));
  } else {
    c.reset();  // broken or mid-transaction: close it; a new one is opened on demand
    --open_;
  }
  cv_.notify_one();
}

Pool::Lease::~Lease() {
  if (conn_) pool_->Release(std::move(conn_));
}

}  // namespace calfdvt::store::pg
