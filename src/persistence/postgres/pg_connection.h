#pragma once
// The pieces of the Postgres backend below the pool: an sql::Connection over one libpqxx
// transaction, the typing of parameters, and the mapping of libpqxx exceptions to errors.
// Internal to postgres/: only postgres_database.cc uses it; only the .cc includes libpqxx.

#include <string>
#include <string_view>
#include <vector>

#include "persistence/sql/database.h"

namespace pqxx {
class result;
class transaction_base;
}

namespace utask::persistence::sql {

// What a failed libpqxx call means for the caller.
struct PgFailure {
  Error error;
  // Nothing was committed and another attempt may succeed (serialisation failure, deadlock,
  // connection lost before COMMIT): run the whole body again on another connection.
  bool retry = false;
  bool broken = false;  // the connection is unusable: drop it from the pool
};

// Strings that must never appear in a message: the URL's password, decoded and as written.
using Secrets = std::vector<std::string>;

// Maps the exception being handled (call only inside a catch block). `sql` names the statement
// in the message; the secrets are removed from it, as is every line after the first (DETAIL
// lines quote parameter values).
PgFailure current_pg_failure(std::string_view sql, const Secrets& secrets);

// `message` with every secret replaced by "***".
std::string scrub(std::string message, const Secrets& secrets);

// `sql` with each non-NULL parameter $N written CAST($N AS BIGINT | TEXT | BYTEA) after its
// value's type. libpqxx sends parameters untyped; with the casts an expression such as
// `$1 + $2` or `SELECT $1` types as it does in SQLite, so the store's SQL serves both backends.
// NULL parameters stay untyped and take the type of their first use. `used` receives the
// highest N written: a statement needs that many parameters; more are not sent.
std::string typed_sql(std::string_view sql, const Params& params, size_t& used);

class PgConnection final : public Connection {
 public:
  PgConnection(pqxx::transaction_base& tx, const Secrets& secrets) : tx_(tx), secrets_(secrets) {}

  Result<Rows> query(std::string_view sql, const Params& params) override;
  Result<int64_t> execute(std::string_view sql, const Params& params) override;
  Result<void> execute_script(std::string_view sql) override;

  // The last failure's flags, for transact() to retry or drop the connection.
  bool retry() const { return retry_; }
  bool broken() const { return broken_; }

 private:
  Result<pqxx::result> run(std::string_view sql, const Params& params);
  Error fail(std::string_view sql);

  pqxx::transaction_base& tx_;
  const Secrets& secrets_;
  bool retry_ = false;
  bool broken_ = false;
};

}  // namespace utask::persistence::sql
