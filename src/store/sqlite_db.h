// Thin RAII layer over the SQLite C API for the SQLite store: a bounded pool of connections,
// each with its own cache of prepared statements, and statement/transaction helpers whose
// failures are core::Status values. Internal to src/store.
//
// Thread safety: Pool is thread-safe; a leased Conn (and its statements) is used by one thread
// at a time. Every connection runs in WAL mode with foreign_keys=ON, synchronous=FULL and a busy
// timeout, so concurrent writers queue rather than fail.
#pragma once

#include <condition_variable>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "core/date.h"
#include "core/status.h"

struct sqlite3;
struct sqlite3_stmt;

namespace calfdvt::store::sqlite {

// A cached prepared statement, reset and unbound when the Stmt goes out of scope.
// Parameter indexes are 1-based, column indexes 0-based (as in the C API).
class Stmt {
 public:
  Stmt(sqlite3* db, sqlite3_stmt* stmt) : db_(db), stmt_(stmt) {}
  Stmt(Stmt&& o) noexcept : db_(o.db_), stmt_(o.stmt_), bad_column_(o.bad_column_) {
    o.stmt_ = nullptr;
  }
  Stmt(const Stmt&) = delete;
  Stmt& operator=(const Stmt&) = delete;
  Stmt& operator=(Stmt&&) = delete;
  ~Stmt();

  Stmt& Bind(int i, std::string_view text);
  Stmt& Bind(int i, int64_t v);
  Stmt& Bind(int i, core::Date d);
  Stmt& Bind(int i, const std::optional<core::Date>& d);
  Stmt& BindNull(int i);

  // true: a row is available; false: done. `op` names the operation in error messages.
  core::Result<bool> Step(std::string_view op);
  // Steps to completion, expecting no rows.
  core::Status Run(std::string_view op);

  bool IsNull(int col) const;
  int64_t Int(int col) const;
  std::string Text(int col) const;
  // A malformed stored date sets corrupt() and reads as 1970-01-01.
  core::Date DateAt(int col);
  std::optional<core::Date> OptDate(int col);
  bool corrupt() const { return bad_column_; }

 private:
  sqlite3* db_;
  sqlite3_stmt* stmt_;
  bool bad_column_ = false;
};

class Conn {
 public:
  explicit Conn(sqlite3* db) : db_(db) {}
  Conn(const Conn&) = delete;
  Conn& operator=(const Conn&) = delete;
  ~Conn();

  // Returns the connection's cached statement for this SQL text, preparing it once.
  core::Result<Stmt> Prepare(std::string_view sql);
  // Runs SQL without parameters (may hold several statements).
  core::Status Exec(std::string_view sql, std::string_view op);
  int64_t Changes() const;
  sqlite3* raw() const { return db_; }

 private:
  sqlite3* db_;
  std::unordered_map<std::string, sqlite3_stmt*> cache_;
};

// An open transaction on a leased connection; rolls back unless committed.
class Tx {
 public:
  // write: BEGIN IMMEDIATE (takes the write lock now, so no upgrade deadlock); else BEGIN.
  static core::Result<Tx> Begin(Conn& c, bool write);
  Tx(Tx&& o) noexcept : conn_(o.conn_) { o.conn_ = nullptr; }
  Tx(const Tx&) = delete;
  Tx& operator=(const Tx&) = delete;
  Tx& operator=(Tx&&) = delete;
  ~Tx();
  core::Status Commit();

 private:
  explicit Tx(Conn* c) : conn_(c) {}
  Conn* conn_;
};

class Pool {
 public:
  // path: a file name or ":memory:" (one connection then, since each would be its own database).
  static core::Result<std::unique_ptr<Pool>> Open(const std::string& path, int max_connections);
  ~Pool();

  class Lease {
   public:
    Lease(Pool* pool, std::unique_ptr<Conn> c) : pool_(pool), conn_(std::move(c)) {}
    Lease(Lease&&) noexcept = default;
    Lease(const Lease&) = delete;
    Lease& operator=(const Lease&) = delete;
    Lease& operator=(Lease&&) = delete;
    ~Lease();
    Conn& operator*() const { return *conn_; }
    Conn* operator->() const { return conn_.get(); }

   private:
    Pool* pool_;
    std::unique_ptr<Conn> conn_;
  };

  // Blocks while max_connections are leased.
  core::Result<Lease> Acquire();

 private:
  Pool(std::string path, int max) : path_(std::move(path)), max_(max) {}
  core::Result<std::unique_ptr<Conn>> Connect();
  void Release(std::unique_ptr<Conn> c);

  const std::string path_;
  const int max_;
  std::mutex mu_;
  std::condition_variable cv_;
  std::vector<std::unique_ptr<Conn>> idle_;  // guarded by mu_
  int open_ = 0;                             // guarded by mu_: leased + idle
};

}  // namespace calfdvt::store::sqlite
