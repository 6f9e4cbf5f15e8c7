#include "cli/library_versions.h"

#include <caf/config.hpp>
#include <curl/curl.h>
#include <fmt/format.h>
#include <libpq-fe.h>
#include <libssh2.h>
#include <nlohmann/json.hpp>
#include <pqxx/version.hxx>
#include <restinio/version.hpp>
#include <sodium.h>
#include <spdlog/version.h>
#include <sqlite3.h>
#include <v8-initialization.h>

namespace utask::cli {

// Run-time versions where the library reports one, else the version compiled against.
std::vector<std::pair<std::string, std::string>> library_versions() {
  const int pq = PQlibVersion();
  return {
      {"CAF", fmt::format("{}.{}.{}", CAF_VERSION / 10000, (CAF_VERSION / 100) % 100, CAF_VERSION % 100)},
      {"RESTinio", fmt::format("{}.{}.{}", RESTINIO_VERSION_MAJOR, RESTINIO_VERSION_MINOR, RESTINIO_VERSION_PATCH)},
      {"libpqxx", PQXX_VERSION},
      {"libpq", fmt::format("{}.{}", pq / 10000, pq % 10000)},
      {"SQLite", sqlite3_libversion()},
      {"libsodium", sodium_version_string()},
      {"V8", v8::V8::GetVersion()},
      {"libcurl", curl_version_info(CURLVERSION_NOW)->version},
      {"libssh2", libssh2_version(0)},
      {"nlohmann_json", fmt::format("{}.{}.{}", NLOHMANN_JSON_VERSION_MAJOR, NLOHMANN_JSON_VERSION_MINOR,
                                    NLOHMANN_JSON_VERSION_PATCH)},
      {"spdlog", fmt::format("{}.{}.{}", SPDLOG_VER_MAJOR, SPDLOG_VER_MINOR, SPDLOG_VER_PATCH)},
  };
}

}  // namespace utask::cli
