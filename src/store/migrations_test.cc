#include "store/migrations.h"

#include <gtest/gtest.h>

namespace calfdvt::store {
namespace {

void ExpectNumbered(std::span<const Migration> list) {
  ASSERT_FALSE(list.empty());
  for (size_t i = 0; i < list.size(); ++i) {
    EXPECT_EQ(list[i].version, static_cast<int>(i + 1));
    EXPECT_FALSE(list[i].name.empty());
    EXPECT_FALSE(list[i].sql.empty());
  }
}

TEST(MigrationsTest, NumberedWithoutGapsAndSameVersionsOnBothBackends) {
  ExpectNumbered(SqliteMigrations());
  ExpectNumbered(PostgresMigrations());
  ASSERT_EQ(SqliteMigrations().size(), PostgresMigrations().size());
  for (size_t i = 0; i < SqliteMigrations().size(); ++i)
    EXPECT_EQ(SqliteMigrations()[i].name, PostgresMigrations()[i].name);
}

// Released migrations are append-only: these checksums must never change. A schema change is a
// new migration (and a new line here), never an edit of an old one.
TEST(MigrationsTest, ReleasedMigrationsAreUnchanged) {
  const std::vector<std::string> sqlite = {"2bc2a36ed4d148a2", "21d28fd6cdd04119",
                                           "6a59290b0d795b19", "ff0e1f5221b900af"};
  const std::vector<std::string> postgres = {"ef200330c6527c74", "f119bec618fa1783",
                                             "10e7af8f90fa168a", "52ed67944beae568"};
  for (size_t i = 0; i < sqlite.size(); ++i)
    EXPECT_EQ(MigrationChecksum(SqliteMigrations()[i].sql), sqlite[i]) << "sqlite " << i + 1;
  for (size_t i = 0; i < postgres.size(); ++i)
    EXPECT_EQ(MigrationChecksum(PostgresMigrations()[i].sql), postgres[i]) << "postgres " << i + 1;
}

TEST(MigrationsTest, ChecksumDetectsAnyEdit) {
  EXPECT_EQ(MigrationChecksum(""), "cbf29ce484222325");
  EXPECT_NE(MigrationChecksum("CREATE TABLE t (a INT);"),
            MigrationChecksum("CREATE TABLE t (a INT); "));
}

}  // namespace
}  // namespace calfdvt::store
