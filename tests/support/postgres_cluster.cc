#include "support/postgres_cluster.h"

#include <libpq-fe.h>
#include <unistd.h>

#include <array>
#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <stdexcept>

namespace utask::testing {

namespace {

const char* const kScript = UTASK_SOURCE_DIR "/tests/support/pg_cluster.sh";

std::string read_first_line(const std::filesystem::path& file) {
  std::ifstream in(file);
  std::string line;
  std::getline(in, line);
  return line;
}

bool reachable(const std::string& url) { return PQping(url.c_str()) == PQPING_OK; }

// Runs `command` through the shell; throws with its output when it fails.
void run(const std::string& command) {
  std::string out;
  FILE* pipe = popen((command + " 2>&1").c_str(), "r");
  if (pipe == nullptr) throw std::runtime_error("cannot run " + command);
  std::array<char, 512> buf{};
  while (fgets(buf.data(), buf.size(), pipe) != nullptr) out += buf.data();
  int status = pclose(pipe);
  if (status != 0) throw std::runtime_error(command + " failed: " + out);
}

// The cluster this process started, if any: its state directory and the starting process (a
// forked child exits through atexit handlers too and must not stop it).
std::string own_state;
pid_t owner = 0;

void stop_own_cluster() {
  if (own_state.empty() || getpid() != owner) return;
  std::string command = std::string("sh ") + kScript + " stop '" + own_state + "' >/dev/null 2>&1";
  (void)std::system(command.c_str());
}

std::string find_or_start() {
  // The ctest fixture's cluster.
  const auto shared = std::filesystem::path(UTASK_BINARY_DIR) / "pg-test" / "url";
  if (std::filesystem::exists(shared)) {
    std::string url = read_first_line(shared);
    if (!url.empty() && reachable(url)) return url;
  }
  std::string dir = (std::filesystem::temp_directory_path() / "utask-pgstate-XXXXXX").string();
  if (mkdtemp(dir.data()) == nullptr) throw std::runtime_error("mkdtemp failed");
  own_state = dir;  // the script removes it at stop
  owner = getpid();
  std::atexit(stop_own_cluster);
  run(std::string("sh ") + kScript + " start '" + own_state + "' " + std::to_string(owner));
  std::string url = read_first_line(own_state + "/url");
  if (url.empty() || !reachable(url))
    throw std::runtime_error("the test PostgreSQL cluster did not start (" + own_state + ")");
  return url;
}

void admin_command(const std::string& sql) {
  PGconn* conn = PQconnectdb(postgres_admin_url().c_str());
  if (PQstatus(conn) != CONNECTION_OK) {
    std::string msg = PQerrorMessage(conn);
    PQfinish(conn);
    throw std::runtime_error("cannot connect to the test cluster: " + msg);
  }
  PGresult* res = PQexec(conn, sql.c_str());
  const bool ok = PQresultStatus(res) == PGRES_COMMAND_OK;
  std::string msg = ok ? "" : PQresultErrorMessage(res);
  PQclear(res);
  PQfinish(conn);
  if (!ok) throw std::runtime_error(sql + ": " + msg);
}

}  // namespace

const std::string& postgres_admin_url() {
  static std::mutex mu;
  static std::string url;
  std::lock_guard lock(mu);
  if (url.empty()) url = find_or_start();
  return url;
}

std::string postgres_url(const std::string& database) {
  const std::string& admin = postgres_admin_url();
  return admin.substr(0, admin.rfind('/') + 1) + database;
}

std::string create_postgres_database() {
  static std::atomic<int> counter{0};
  std::string name = "utask_test_" + std::to_string(getpid()) + "_" + std::to_string(++counter);
  admin_command("CREATE DATABASE " + name);
  return name;
}

void drop_postgres_database(const std::string& name) {
  admin_command("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
}

}  // namespace utask::testing
