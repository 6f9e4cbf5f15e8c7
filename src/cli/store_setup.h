#pragma once
// Opening the store, shared by `utask serve` and `utask migrate`: which database, which key
// ring, and the migration mode. Both commands resolve the database the same way, so `utask
// migrate` always migrates the database the server would open.

#include <memory>
#include <string>

#include "config/configuration.h"
#include "config/settings.h"
#include "model/error.h"
#include "persistence/store.h"

namespace utask::cli {

// Which store: --db / UTASK_DB, else the `database` item (empty `database` = no item), else
// the embedded SQLite file in the working directory.
std::string store_location(const config::Settings& settings, const std::string& database_item);

// The key file of an embedded SQLite store: `<PATH>.key` for `sqlite:PATH`; empty for
// `sqlite::memory:` and other schemes.
std::string key_file_for(const std::string& url);

// The storage key ring of the server. The `encryption-key` items when there are some (moved out
// of `cfg`, so no plain copy of the keys stays behind). Otherwise:
// - an embedded SQLite file: the key file next to it, created with mode 0600 on first start
//   and reused afterwards; its path is logged (a warning to back it up when created), never
//   the key;
// - `sqlite::memory:`: a random key for this process only (the data dies with it too);
// - PostgreSQL: refused (invalid_config). Instances sharing a database must share its key, so
//   none of them may invent one.
Result<std::shared_ptr<const persistence::KeyRing>> server_key_ring(config::Configuration& cfg,
                                                                  const std::string& url);

// A random key ring that lives as long as the process; for commands that never encrypt
// (`utask migrate`) and in-memory stores.
Result<std::shared_ptr<const persistence::KeyRing>> ephemeral_key_ring();

// Store options for `url` with the server's settings: the pool size of
// utask-cfg.database_config.max_open_conns for PostgreSQL (0 = unlimited reads as 50).
persistence::StoreOptions store_options(const std::string& url,
                                        std::shared_ptr<const persistence::KeyRing> ring,
                                        const config::DatabaseConfig& database,
                                        persistence::MigrationMode mode);

}  // namespace utask::cli
