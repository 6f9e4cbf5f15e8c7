#pragma once
// The throwaway PostgreSQL cluster of the tests (pg_cluster.sh): a superuser `postgres` with
// trust authentication on 127.0.0.1.
//
// Under ctest the fixture `postgres_cluster` starts one cluster for the whole run and writes
// its URL to <build>/pg-test/url; a test binary run by hand finds no such file (or a dead
// cluster) and starts its own on first use, stopped when the process exits.
//
// Thread safety: every function may be called from any thread.

#include <string>

namespace utask::testing {

// postgres://postgres@127.0.0.1:PORT/postgres. Throws std::runtime_error when no cluster can
// be started (PostgreSQL not installed...).
const std::string& postgres_admin_url();

// The URL of `database` on the same cluster.
std::string postgres_url(const std::string& database);

// A new empty database with a unique name (the name is returned); drop it with
// drop_postgres_database. Throws std::runtime_error.
std::string create_postgres_database();
void drop_postgres_database(const std::string& name);

}  // namespace utask::testing
