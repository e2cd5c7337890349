// OpenStore: URL dispatch to a backend, then migration.
#include "store/postgres_store.h"
#include "store/sqlite_store.h"
#include "store/store.h"
#include "store/store_common.h"

namespace calfdvt::store {

core::Result<std::unique_ptr<Store>> OpenStore(std::string_view url) {
  std::unique_ptr<Store> store;
  if (url.starts_with("sqlite:")) {
    const std::string path(url.substr(7));
    if (path.empty()) {
      return internal::Fail<std::unique_ptr<Store>>(
          core::ErrorKind::kInvalidInput, "url", "store_url",
          "store URL \"sqlite:PATH\" needs a file name (or :memory:) after \"sqlite:\"");
    }
    STORE_ASSIGN_OR_RETURN(store, SqliteStore::Open(path));
  } else if (url.starts_with("postgresql://") || url.starts_with("postgres://")) {
    STORE_ASSIGN_OR_RETURN(store, PostgresStore::Open(std::string(url)));
  } else {
    // The URL itself is not echoed: it may carry a password.
    return internal::Fail<std::unique_ptr<Store>>(
        core::ErrorKind::kInvalidInput, "url", "store_url",
        "store URL must be \"sqlite:PATH\" or \"postgresql://...\" / \"postgres://...\"");
  }
  STORE_RETURN_IF_ERROR(store->Migrate());
  return store;
}

}  // namespace calfdvt::store
