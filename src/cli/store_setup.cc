#include "cli/store_setup.h"

#include <sodium.h>
#include <spdlog/spdlog.h>

#include <chrono>
#include <filesystem>

#include "persistence/crypto/cipher.h"
#include "persistence/crypto/key_file.h"
#include "persistence/crypto/key_ring.h"

namespace utask::cli {
namespace {

constexpr std::string_view kSqlitePrefix = "sqlite:";
constexpr std::string_view kSqliteMemory = "sqlite::memory:";
constexpr size_t kDefaultPoolSize = 50;

bool is_sqlite(const std::string& url) { return url.rfind(kSqlitePrefix, 0) == 0; }

Result<std::shared_ptr<const persistence::KeyRing>> shared_ring(config::KeyRing keys) {
  auto ring = persistence::KeyRing::create(std::move(keys));
  if (!ring) return ring.error();
  return std::shared_ptr<const persistence::KeyRing>(
      std::make_shared<persistence::KeyRing>(std::move(*ring)));
}

}  // namespace

std::string store_location(const config::Settings& settings, const std::string& database_item) {
  if (!settings.db.empty()) return settings.db;
  if (!database_item.empty()) return database_item;
  return std::string(kSqlitePrefix) + config::kDefaultSqliteFile;
}

std::string key_file_for(const std::string& url) {
  if (!is_sqlite(url) || url == kSqliteMemory) return {};
  return url.substr(kSqlitePrefix.size()) + ".key";
}

Result<std::shared_ptr<const persistence::KeyRing>> ephemeral_key_ring() {
  if (auto ok = persistence::init_sodium(); !ok) return ok.error();
  config::KeyConfig key;
  key.identifier = config::kStorageKeyIdentifier;
  key.cipher = config::kDefaultCipher;
  key.timestamp = std::chrono::duration_cast<std::chrono::seconds>(
                      std::chrono::system_clock::now().time_since_epoch())
                      .count();
  key.material.assign(persistence::kCipherKeyBytes, '\0');
  randombytes_buf(key.material.data(), key.material.size());
  return shared_ring(config::KeyRing{{std::move(key)}});
}

Result<std::shared_ptr<const persistence::KeyRing>> server_key_ring(config::Configuration& cfg,
                                                                  const std::string& url) {
  if (cfg.storage_keys) {
    auto keys = std::move(*cfg.storage_keys);
    cfg.storage_keys.reset();
    auto ring = shared_ring(std::move(keys));
    if (ring) spdlog::info("storage keys from the encryption-key items: {}", (*ring)->describe());
    return ring;
  }
  if (url == kSqliteMemory) {
    spdlog::info("in-memory store: its storage key lives as long as the process");
    return ephemeral_key_ring();
  }
  if (!is_sqlite(url)) {
    return Error::invalid_config(
        "no `encryption-key` item with identifier \"storage\": a shared database needs a "
        "configured storage key (config.md §4.3)",
        config::kEncryptionKeyItem);
  }
  const std::filesystem::path path = key_file_for(url);
  auto file = persistence::load_or_create_key_file(path);
  if (!file) return file.error();
  std::error_code ec;
  const auto shown = std::filesystem::absolute(path, ec).string();
  if (file->created) {
    spdlog::warn("generated the storage key file {} (mode 0600): back it up, the database "
                 "cannot be read without it",
                 shown);
  } else {
    spdlog::info("storage key from the key file {}", shown);
  }
  return shared_ring(config::KeyRing{{std::move(file->key)}});
}

persistence::StoreOptions store_options(const std::string& url,
                                        std::shared_ptr<const persistence::KeyRing> ring,
                                        const config::DatabaseConfig& database,
                                        persistence::MigrationMode mode) {
  persistence::StoreOptions options;
  options.url = url;
  options.key_ring = std::move(ring);
  options.migrations = mode;
  if (!is_sqlite(url)) {
    options.pool_size =
        database.max_open_conns > 0 ? static_cast<size_t>(database.max_open_conns) : kDefaultPoolSize;
  }
  return options;
}

}  // namespace utask::cli
