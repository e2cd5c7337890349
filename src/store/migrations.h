// Numbered, append-only schema migrations, one list per backend (docs/schema.md).
//
// Rules: versions are 1, 2, 3, ... with no gaps; a released migration is never edited (its
// checksum is recorded in schema_migrations when applied and checked at every open, and
// migrations_test pins them); a change to the schema is a new migration at the end of both lists.
// Pending migrations are applied at open in one transaction, so a failure leaves the database at
// its previous version; re-running is a no-op.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>

namespace calfdvt::store {

struct Migration {
  int version;
  std::string_view name;
  std::string_view sql;  // one or more statements, no parameters
};

std::span<const Migration> SqliteMigrations();
std::span<const Migration> PostgresMigrations();

// FNV-1a 64 of the SQL text as 16 lowercase hex digits: detects an edited migration.
std::string MigrationChecksum(std::string_view sql);

}  // namespace calfdvt::store
