#pragma once
// The store `utask run` uses: a temporary SQLite database (removed at exit) with a fresh key,
// or the one --db names.

#include <memory>
#include <string>

#include "config/settings.h"
#include "model/error.h"
#include "persistence/store.h"

namespace utask::cli {

struct RunStore {
  std::unique_ptr<persistence::Store> store;
  std::string temp_dir;  // removed by the destructor when set
  std::string new_id() const;
  RunStore() = default;
  RunStore(RunStore&&) = default;
  ~RunStore();
};

Result<RunStore> open_run_store(const config::Settings& settings);

}  // namespace utask::cli
