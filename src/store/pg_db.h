// Thin RAII layer over libpq for the PostgreSQL store: a bounded, thread-safe connection pool,
// text-format parameterised execution and transactions, with failures as core::Status values.
// Internal to src/store.
//
// Thread safety: Pool is thread-safe; a leased Conn is used by one thread at a time. A connection
// that broke or was left inside a transaction is closed on release, never reused.
#pragma once

#include <condition_variable>
#include <cstdint>
#include <deque>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/date.h"
#include "core/status.h"

struct pg_conn;
struct pg_result;

namespace calfdvt::store::pg {

// Query parameters in text format ($1, $2, ... in the order added). Dates are 'YYYY-MM-DD'
// (cast with $n::date in the SQL).
class Params {
 public:
  Params& Add(std::string_view text);
  Params& Add(int64_t v);
  Params& Add(core::Date d);
  Params& Add(const std::optional<core::Date>& d);
  Params& AddNull();
  int size() const { return static_cast<int>(values_.size()); }
  const char* const* values() const { return values_.data(); }

 private:
  std::deque<std::string> storage_;  // stable addresses for values_
  std::vector<const char*> values_;
};

// Appends a value to a COPY text-format line (tab-separated fields, backslash escapes).
void CopyField(std::string& line, std::string_view value, bool first = false);
void CopyNull(std::string& line, bool first = false);

class Res {
 public:
  explicit Res(pg_result* r);
  Res(Res&&) noexcept = default;
  Res& operator=(Res&&) noexcept = default;
  ~Res();

  int rows() const;
  int64_t affected() const;  // rows affected by INSERT/UPDATE/DELETE
  bool IsNull(int row, int col) const;
  std::string Text(int row, int col) const;
  int64_t Int(int row, int col) const;
  bool Bool(int row, int col) const;
  // A malformed date sets corrupt() and reads as 1970-01-01.
  core::Date DateAt(int row, int col);
  std::optional<core::Date> OptDate(int row, int col);
  bool corrupt() const { return corrupt_; }

 private:
  struct Deleter {
    void operator()(pg_result* r) const;
  };
  std::unique_ptr<pg_result, Deleter> r_;
  bool corrupt_ = false;
};

class Conn {
 public:
  explicit Conn(pg_conn* c) : c_(c) {}
  Conn(const Conn&) = delete;
  Conn& operator=(const Conn&) = delete;
  ~Conn();

  // A parameterised statement. Unique violations (23505) and serialization failures or
  // deadlocks (40001, 40P01) are kConflict; other failures kInternal naming `op` and the SQLSTATE.
  core::Result<Res> Exec(std::string_view sql, const Params& params, std::string_view op);
  // SQL without parameters (may hold several statements): transaction control, migrations.
  core::Status Command(std::string_view sql, std::string_view op);
  // COPY ... FROM STDIN with `data` in COPY text format (see CopyField).
  core::Status Copy(std::string_view copy_sql, std::string_view data, std::string_view op);
  // Connected and outside any transaction.
  bool Reusable() const;
  pg_conn* raw() const { return c_; }

 private:
  pg_conn* c_;
};

// An open transaction; rolls back unless committed.
class Tx {
 public:
  // begin_sql: e.g. "BEGIN" or "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY".
  static core::Result<Tx> Begin(Conn& c, std::string_view begin_sql = "BEGIN");
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
  // conninfo: a libpq connection URI. Connects once to fail fast.
  static core::Result<std::unique_ptr<Pool>> Open(std::string conninfo, int max_connections);
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
  Pool(std::string conninfo, int max) : conninfo_(std::move(conninfo)), max_(max) {}
  core::Result<std::unique_ptr<Conn>> Connect();
  void Release(std::unique_ptr<Conn> c);

  const std::string conninfo_;
  const int max_;
  std::mutex mu_;
  std::condition_variable cv_;
  std::vector<std::unique_ptr<Conn>> idle_;  // guarded by mu_
  int open_ = 0;                             // guarded by mu_: leased + idle
};

}  // namespace calfdvt::store::pg
