#include "store/sqlite_db.h"

#include <sqlite3.h>

#include "store/store_common.h"

namespace calfdvt::store::sqlite {
namespace {

constexpr int kBusyTimeoutMs = 10000;

core::Status SqliteError(sqlite3* db, std::string_view op) {
  // sqlite3_errmsg names constraints and tables, never bound values.
  return internal::Internal("sqlite: " + std::string(op) + ": " + sqlite3_errmsg(db));
}

}  // namespace

// ---- Stmt ----

Stmt::~Stmt() {
  if (stmt_ != nullptr) {
    sqlite3_reset(stmt_);
    sqlite3_clear_bindings(stmt_);
  }
}

Stmt& Stmt::Bind(int i, std::string_view text) {
  sqlite3_bind_text(stmt_, i, text.data(), static_cast<int>(text.size()), SQLITE_TRANSIENT);
  return *this;
}
Stmt& Stmt::Bind(int i, int64_t v) {
  sqlite3_bind_int64(stmt_, i, v);
  return *this;
}
Stmt& Stmt::Bind(int i, core::Date d) {
  char buf[10];
  d.Format(buf);
  sqlite3_bind_text(stmt_, i, buf, 10, SQLITE_TRANSIENT);
  return *this;
}
Stmt& Stmt::Bind(int i, const std::optional<core::Date>& d) {
  return d ? Bind(i, *d) : BindNull(i);
}
Stmt& Stmt::BindNull(int i) {
  sqlite3_bind_null(stmt_, i);
  return *this;
}

core::Result<bool> Stmt::Step(std::string_view op) {
  const int rc = sqlite3_step(stmt_);
  if (rc == SQLITE_ROW) return true;
  if (rc == SQLITE_DONE) return false;
  const int primary = rc & 0xFF;
  if (primary == SQLITE_CONSTRAINT &&
      (rc == SQLITE_CONSTRAINT_PRIMARYKEY || rc == SQLITE_CONSTRAINT_UNIQUE)) {
    return internal::Conflict<bool>(std::string(op) + ": the record already exists");
  }
  return internal::Forward<bool>(SqliteError(db_, op));
}

core::Status Stmt::Run(std::string_view op) {
  for (;;) {
    auto row = Step(op);
    if (!row.ok()) return internal::Forward<core::Ok>(row);
    if (!*row) return core::OkStatus();
  }
}

bool Stmt::IsNull(int col) const { return sqlite3_column_type(stmt_, col) == SQLITE_NULL; }
int64_t Stmt::Int(int col) const { return sqlite3_column_int64(stmt_, col); }
std::string Stmt::Text(int col) const {
  const auto* p = reinterpret_cast<const char*>(sqlite3_column_text(stmt_, col));
  if (p == nullptr) return {};
  return std::string(p, static_cast<size_t>(sqlite3_column_bytes(stmt_, col)));
}
core::Date Stmt::DateAt(int col) {
  const auto* p = reinterpret_cast<const char*>(sqlite3_column_text(stmt_, col));
  std::optional<core::Date> d;
  if (p != nullptr)
    d = core::Date::Parse(
        std::string_view(p, static_cast<size_t>(sqlite3_column_bytes(stmt_, col))));
  if (!d) {
    bad_column_ = true;
    return core::Date{};
  }
  return *d;
}
std::optional<core::Date> Stmt::OptDate(int col) {
  if (IsNull(col)) return std::nullopt;
  return DateAt(col);
}

// ---- Conn ----

Conn::~Conn() {
  for (auto& [sql, stmt] : cache_) sqlite3_finalize(stmt);
  sqlite3_close_v2(db_);
}

core::Result<Stmt> Conn::Prepare(std::string_view sql) {
  auto it = cache_.find(std::string(sql));
  if (it == cache_.end()) {
    sqlite3_stmt* stmt = nullptr;
    if (sqlite3_prepare_v3(db_, sql.data(), static_cast<int>(sql.size()), SQLITE_PREPARE_PERSISTENT,
                           &stmt, nullptr) != SQLITE_OK) {
      return internal::Forward<Stmt>(SqliteError(db_, "prepare"));
    }
    it = cache_.emplace(std::string(sql), stmt).first;
  }
  return Stmt(db_, it->second);
}

core::Status Conn::Exec(std::string_view sql, std::string_view op) {
  const std::string text(sql);
  if (sqlite3_exec(db_, text.c_str(), nullptr, nullptr, nullptr) != SQLITE_OK)
    return SqliteError(db_, op);
  return core::OkStatus();
}

int64_t Conn::Changes() const { return sqlite3_changes64(db_); }

// ---- Tx ----

core::Result<Tx> Tx::Begin(Conn& c, bool write) {
  auto st = c.Exec(write ? "BEGIN IMMEDIATE" : "BEGIN", "begin transaction");
  if (!st.ok()) return internal::Forward<Tx>(st);
  return Tx(&c);
}

Tx::~Tx() {
  if (conn_ != nullptr) (void)conn_->Exec("ROLLBACK", "rollback");
}

core::Status Tx::Commit() {
  Conn* c = conn_;
  auto st = c->Exec("COMMIT", "commit");
  if (st.ok()) conn_ = nullptr;  // else the destructor rolls back
  return st;
}

// ---- Pool ----

core::Result<std::unique_ptr<Pool>> Pool::Open(const std::string& path, int max_connections) {
  const int max = path == ":memory:" ? 1 : std::max(1, max_connections);
  std::unique_ptr<Pool> pool(new Pool(path, max));
  auto first = pool->Connect();  // fail fast on a bad path
  if (!first.ok()) return internal::Forward<std::unique_ptr<Pool>>(first);
  pool->idle_.push_back(std::move(first).value());
  pool->open_ = 1;
  return pool;
}

Pool::~Pool() = default;

core::Result<std::unique_ptr<Conn>> Pool::Connect() {
  sqlite3* db = nullptr;
  const int rc =
      sqlite3_open_v2(path_.c_str(), &db,
                      SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, nullptr);
  auto conn = std::make_unique<Conn>(db);  // closes db on every path below
  if (rc != SQLITE_OK) {
    return internal::Internal<std::unique_ptr<Conn>>(std::string("sqlite: open database: ") +
                                                     sqlite3_errstr(rc));
  }
  sqlite3_busy_timeout(db, kBusyTimeoutMs);
  sqlite3_extended_result_codes(db, 1);
  const bool memory = path_ == ":memory:";
  auto st = conn->Exec(memory ? "PRAGMA foreign_keys=ON"
                              : "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; "
                                "PRAGMA foreign_keys=ON",
                       "configure connection");
  if (!st.ok()) return internal::Forward<std::unique_ptr<Conn>>(st);
  return conn;
}

core::Result<Pool::Lease> Pool::Acquire() {
  std::unique_lock lock(mu_);
  cv_.wait(lock, [&] { return !idle_.empty() || open_ < max_; });
  if (!idle_.empty()) {
    auto c = std::move(idle_.back());
    idle_.pop_back();
    return Lease(this, std::move(c));
  }
  ++open_;
  lock.unlock();
  auto c = Connect();
  if (!c.ok()) {
    std::lock_guard relock(mu_);
    --open_;
    cv_.notify_one();
    return internal::Forward<Lease>(c);
  }
  return Lease(this, std::move(c).value());
}

void Pool::Release(std::unique_ptr<Conn> c) {
  std::lock_guard lock(mu_);
  idle_.push_back(std::move(c));
  cv_.notify_one();
}

Pool::Lease::~Lease() {
  if (conn_) pool_->Release(std::move(conn_));
}

}  // namespace calfdvt::store::sqlite
