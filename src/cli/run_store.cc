#include "cli/run_store.h"

#include <cstdlib>
#include <filesystem>

#include "persistence/crypto/key_file.h"
#include "persistence/crypto/key_ring.h"
#include "service/ids.h"

namespace utask::cli {

std::string RunStore::new_id() const { return service::new_uuid(); }

RunStore::~RunStore() {
  store.reset();
  if (!temp_dir.empty()) {
    std::error_code ec;
    std::filesystem::remove_all(temp_dir, ec);
  }
}

Result<RunStore> open_run_store(const config::Settings& settings) {
  RunStore out;
  std::string url = settings.db;
  std::filesystem::path key_path;
  if (url.empty()) {
    std::string tmpl = (std::filesystem::temp_directory_path() / "utask-run-XXXXXX").string();
    if (!mkdtemp(tmpl.data())) return Error::internal("cannot create a temporary directory");
    out.temp_dir = tmpl;
    url = "sqlite:" + tmpl + "/utask.db";
    key_path = std::filesystem::path(tmpl) / "utask.db.key";
  } else if (url.rfind("sqlite:", 0) == 0) {
    key_path = url.substr(7) + ".key";
  } else {
    return Error::invalid_config("utask run --db: only sqlite:PATH is supported here; run against a "
                                 "Postgres store with `utask serve` and the API");
  }
  auto key = persistence::load_or_create_key_file(key_path);
  if (!key) return key.error();
  config::KeyRing keys;
  keys.keys.push_back(std::move(key->key));
  auto ring = persistence::KeyRing::create(std::move(keys));
  if (!ring) return ring.error();
  persistence::StoreOptions options;
  options.url = url;
  options.key_ring = std::make_shared<const persistence::KeyRing>(std::move(*ring));
  options.pool_size = 4;
  auto store = persistence::open_store(options);
  if (!store) return store.error();
  out.store = std::move(*store);
  return out;
}

}  // namespace utask::cli
