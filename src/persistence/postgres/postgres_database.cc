#include "persistence/postgres/postgres_database.h"

#include <libpq-fe.h>

#include <pqxx/pqxx>

#include <condition_variable>
#include <mutex>
#include <vector>

#include "persistence/postgres/pg_connection.h"

namespace utask::persistence::sql {

namespace {

// Serialisation failures and deadlocks retry the whole body this many more times.
constexpr int kRetries = 3;
// The advisory lock of exclusive() (migrations): "utask_mg".
constexpr const char* kExclusiveLockKey = "8463516099766541671";

// The password of a libpq URI or key=value string, as libpq reads it and as written in a URI
// (percent-encoded), so both can be scrubbed from messages. Errors: invalid_config (malformed).
Result<Secrets> parse_secrets(const std::string& url) {
  char* err = nullptr;
  PQconninfoOption* options = PQconninfoParse(url.c_str(), &err);
  if (options == nullptr) {
    std::string msg = err ? err : "out of memory";
    PQfreemem(err);
    while (!msg.empty() && msg.back() == '\n') msg.pop_back();
    return Error::invalid_config("malformed postgres URL: " + msg, "database");
  }
  Secrets secrets;
  for (PQconninfoOption* o = options; o->keyword != nullptr; ++o)
    if (std::string_view(o->keyword) == "password" && o->val != nullptr && *o->val != '\0')
      secrets.emplace_back(o->val);
  PQconninfoFree(options);
  // As written: between "user:" and "@" in a URI.
  if (auto scheme = url.find("://"); scheme != std::string::npos) {
    auto at = url.find('@', scheme + 3);
    auto slash = url.find('/', scheme + 3);
    if (at != std::string::npos && (slash == std::string::npos || at < slash)) {
      std::string userinfo = url.substr(scheme + 3, at - scheme - 3);
      if (auto colon = userinfo.find(':'); colon != std::string::npos)
        secrets.push_back(userinfo.substr(colon + 1));
    }
  }
  return secrets;
}

class PostgresDatabase final : public Database {
 public:
  PostgresDatabase(PostgresOptions options, Secrets secrets)
      : options_(std::move(options)), secrets_(std::move(secrets)) {}

  Dialect dialect() const override { return Dialect::postgres; }

  // Opens one connection into the pool (open_postgres checks the URL with it).
  Result<void> warm_up() {
    auto conn = open_connection();
    if (!conn) return conn.error();
    std::lock_guard lock(mu_);
    ++open_;
    idle_.push_back(std::move(*conn));
    return {};
  }

  Result<void> transact(TxKind kind,
                        const std::function<Result<void>(Connection&)>& body) override {
    return with_retries([&](pqxx::connection& conn, bool& retry, bool& broken) {
      return kind == TxKind::read
                 ? run<pqxx::transaction<pqxx::repeatable_read, pqxx::read_only>>(conn, body,
                                                                                 retry, broken)
                 : run<pqxx::work>(conn, body, retry, broken);
    });
  }

  Result<void> exclusive(const std::function<Result<void>(Connection&)>& body) override {
    return with_retries([&](pqxx::connection& conn, bool& retry, bool& broken) -> Result<void> {
      const std::string lock = std::string("SELECT pg_advisory_lock(") + kExclusiveLockKey + ")";
      const std::string unlock =
          std::string("SELECT pg_advisory_unlock(") + kExclusiveLockKey + ")";
      try {
        pqxx::nontransaction(conn).exec(lock);
      } catch (...) {
        PgFailure f = current_pg_failure(lock, secrets_);
        retry = f.retry;
        broken = f.broken;
        return f.error;
      }
      Result<void> result;
      try {
        result = run<pqxx::work>(conn, body, retry, broken);
      } catch (...) {
        unlock_quietly(conn, unlock, broken);
        throw;
      }
      unlock_quietly(conn, unlock, broken);
      return result;
    });
  }

 private:
  // Runs `attempt` on a pooled connection, again after a serialisation failure, a deadlock or a
  // connection that broke before COMMIT (nothing was committed), at most kRetries more times.
  template <class Attempt>
  Result<void> with_retries(const Attempt& attempt) {
    Result<void> result;
    for (int i = 0; i <= kRetries; ++i) {
      auto conn = acquire();
      if (!conn) return conn.error();
      bool retry = false, broken = false;
      try {
        result = attempt(**conn, retry, broken);
      } catch (...) {
        give_back(std::move(*conn), true);
        throw;
      }
      broken = broken || !(*conn)->is_open();
      give_back(std::move(*conn), broken);
      if (result || !retry) return result;
    }
    return result;
  }

  // One transaction of type Tx: commit on success, abort on failure or exception.
  template <class Tx>
  Result<void> run(pqxx::connection& conn, const std::function<Result<void>(Connection&)>& body,
                   bool& retry, bool& broken) {
    std::string_view stage = "BEGIN";
    try {
      Tx tx(conn);
      PgConnection c(tx, secrets_);
      stage = "";
      Result<void> result = body(c);
      retry = c.retry();
      broken = c.broken();
      if (!result) return result;  // ~Tx aborts
      stage = "COMMIT";
      tx.commit();
      return {};
    } catch (const pqxx::pqxx_exception&) {
      PgFailure f = current_pg_failure(stage, secrets_);
      retry = retry || f.retry;
      broken = broken || f.broken;
      return f.error;
    }
  }

  void unlock_quietly(pqxx::connection& conn, const std::string& unlock, bool& broken) {
    try {
      pqxx::nontransaction(conn).exec(unlock);
    } catch (...) {
      broken = true;  // dropping the connection releases the session lock
    }
  }

  Result<std::unique_ptr<pqxx::connection>> open_connection() {
    try {
      auto conn = std::make_unique<pqxx::connection>(options_.url);
      conn->set_variable("statement_timeout", std::to_string(options_.statement_timeout.count()));
      conn->set_variable("lock_timeout", std::to_string(options_.lock_timeout.count()));
      return conn;
    } catch (...) {
      PgFailure f = current_pg_failure("", secrets_);
      f.error.code = ErrorCode::transient;
      f.error.message = "cannot connect to postgres: " + f.error.message;
      return f.error;
    }
  }

  // A connection of the pool: an idle one, or a new one while fewer than pool_size are open.
  Result<std::unique_ptr<pqxx::connection>> acquire() {
    {
      std::unique_lock lock(mu_);
      const bool ready = cv_.wait_for(lock, options_.acquire_timeout, [&] {
        return !idle_.empty() || open_ < options_.pool_size;
      });
      if (!ready)
        return Error{ErrorCode::transient,
                     "postgres: no free connection within " +
                         std::to_string(options_.acquire_timeout.count()) + " ms (pool of " +
                         std::to_string(options_.pool_size) + ")",
                     {}};
      if (!idle_.empty()) {
        auto conn = std::move(idle_.back());
        idle_.pop_back();
        return conn;
      }
      ++open_;
    }
    auto conn = open_connection();
    if (!conn) {
      {
        std::lock_guard lock(mu_);
        --open_;
      }
      cv_.notify_one();
    }
    return conn;
  }

  void give_back(std::unique_ptr<pqxx::connection> conn, bool drop) {
    {
      std::lock_guard lock(mu_);
      if (drop) {
        --open_;
      } else {
        idle_.push_back(std::move(conn));
        conn = nullptr;
      }
    }
    cv_.notify_one();
    // A dropped connection closes here, outside the lock.
  }

  // Constant after construction.
  const PostgresOptions options_;
  const Secrets secrets_;

  // Guarded by mu_: idle connections, and how many exist (idle or in use).
  std::mutex mu_;
  std::condition_variable cv_;
  std::vector<std::unique_ptr<pqxx::connection>> idle_;
  size_t open_ = 0;
};

}  // namespace

Result<std::unique_ptr<Database>> open_postgres(const PostgresOptions& options) {
  if (options.pool_size == 0) return Error::invalid_config("postgres pool size is 0", "database");
  auto secrets = parse_secrets(options.url);
  if (!secrets) return secrets.error();
  auto db = std::make_unique<PostgresDatabase>(options, std::move(*secrets));
  if (auto r = db->warm_up(); !r) return r.error();
  return std::unique_ptr<Database>(std::move(db));
}

}  // namespace utask::persistence::sql
