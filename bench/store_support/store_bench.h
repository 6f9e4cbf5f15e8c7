#pragma once
// Shared by the store benchmarks: a random key ring, a store opened on a URL, and the one
// template their tasks use. Failures end the process with a message (benchmarks, not servers).

#include <sodium.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <string>

#include "config/encryption_keys.h"
#include "persistence/crypto/cipher.h"
#include "persistence/crypto/key_ring.h"
#include "persistence/store.h"

namespace utask::bench {

template <class T>
T must(Result<T> r, const char* what) {
  if (!r) {
    std::fprintf(stderr, "%s: %s\n", what, r.error().message.c_str());
    std::exit(1);
  }
  return std::move(*r);
}

inline void must(Result<void> r, const char* what) {
  if (!r) {
    std::fprintf(stderr, "%s: %s\n", what, r.error().message.c_str());
    std::exit(1);
  }
}

inline std::shared_ptr<const persistence::KeyRing> random_ring() {
  must(persistence::init_sodium(), "libsodium");
  config::KeyConfig key;
  key.identifier = config::kStorageKeyIdentifier;
  key.cipher = config::kDefaultCipher;
  key.timestamp = 1;
  key.material.assign(persistence::kCipherKeyBytes, '\0');
  randombytes_buf(key.material.data(), key.material.size());
  return std::make_shared<persistence::KeyRing>(
      must(persistence::KeyRing::create(config::KeyRing{{std::move(key)}}), "key ring"));
}

inline std::unique_ptr<persistence::Store> open_bench_store(const std::string& url, size_t pool,
                                                            std::function<persistence::Timestamp()> clock = {}) {
  persistence::StoreOptions options;
  options.url = url;
  options.key_ring = random_ring();
  options.pool_size = pool;
  options.clock = std::move(clock);
  return must(persistence::open_store(options), "open_store");
}

inline void sync_templates(persistence::Store& store, int count) {
  std::vector<persistence::TemplateRecord> templates;
  for (int i = 0; i < count; ++i) {
    persistence::TemplateRecord t;
    t.name = "bench-template-" + std::to_string(i);
    t.description = "benchmark template";
    t.definition_json = R"({"name":")" + t.name + R"("})";
    t.allowed_resolver_groups = {"group" + std::to_string(i % 20)};
    templates.push_back(std::move(t));
  }
  must(store.sync_templates(templates), "sync_templates");
}

inline double seconds_since(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

}  // namespace utask::bench
