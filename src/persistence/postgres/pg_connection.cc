#include "persistence/postgres/pg_connection.h"

#include <pqxx/pqxx>

#include <algorithm>
#include <cctype>
#include <charconv>

namespace utask::persistence::sql {

namespace {

// The backend's type oids the store reads (pg_type.h).
constexpr pqxx::oid kBool = 16, kBytea = 17, kInt8 = 20, kInt2 = 21, kInt4 = 23, kNumeric = 1700;

std::string excerpt(std::string_view sql) {
  std::string out;
  for (char c : sql) {
    if (out.size() >= 80) return out + "…";
    if (c == '\n' || c == '\t') c = ' ';
    if (c == ' ' && (out.empty() || out.back() == ' ')) continue;
    out += c;
  }
  return out;
}

// The first line of a server message without its "ERROR:  " prefix.
std::string first_line(std::string_view what) {
  std::string_view s = what;
  if (auto nl = s.find('\n'); nl != std::string_view::npos) s = s.substr(0, nl);
  for (std::string_view prefix : {"ERROR:  ", "FATAL:  "})
    if (s.substr(0, prefix.size()) == prefix) s.remove_prefix(prefix.size());
  return std::string(s);
}

PgFailure make(ErrorCode code, std::string_view what, std::string_view sql,
               const Secrets& secrets, bool retry = false, bool broken = false) {
  std::string msg = "postgres: " + first_line(what);
  if (!sql.empty()) msg += " (in: " + excerpt(sql) + ")";
  return {Error{code, scrub(std::move(msg), secrets), {}}, retry, broken};
}

Value cell(const pqxx::field& f, pqxx::oid type) {
  if (f.is_null()) return std::monostate{};
  switch (type) {
    case kInt2:
    case kInt4:
    case kInt8:
      return f.as<int64_t>();
    case kBool:
      return int64_t{f.c_str()[0] == 't' ? 1 : 0};
    case kBytea:
      return Bytes{pqxx::binarystring(f).str()};
    case kNumeric: {  // SUM() of integers: an integer whenever it has no fraction
      std::string_view text(f.c_str(), f.size());
      int64_t n = 0;
      auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), n);
      if (ec == std::errc() && end == text.data() + text.size()) return n;
      return std::string(text);
    }
    default:
      return std::string(f.c_str(), f.size());
  }
}

Rows convert(const pqxx::result& result) {
  Rows rows;
  rows.reserve(result.size());
  const auto columns = result.columns();
  std::vector<pqxx::oid> types(columns);
  for (pqxx::row::size_type c = 0; c < columns; ++c) types[c] = result.column_type(c);
  for (const auto& row : result) {
    std::vector<Value> cells;
    cells.reserve(columns);
    for (pqxx::row::size_type c = 0; c < columns; ++c) cells.push_back(cell(row[c], types[c]));
    rows.emplace_back(std::move(cells));
  }
  return rows;
}

// The parameters in libpq's text format; bytes as bytea hex input ("\x00ff").
struct TextParams {
  std::vector<std::string> storage;
  std::vector<const char*> pointers;

  TextParams(const Params& all, size_t count) {
    const Params params(all.begin(), all.begin() + std::min(count, all.size()));
    storage.reserve(params.size());
    for (const Value& v : params) {
      if (const auto* n = std::get_if<int64_t>(&v)) {
        storage.push_back(std::to_string(*n));
      } else if (const auto* s = std::get_if<std::string>(&v)) {
        storage.push_back(*s);
      } else if (const auto* b = std::get_if<Bytes>(&v)) {
        static const char kHex[] = "0123456789abcdef";
        std::string hex = "\\x";
        hex.reserve(2 + 2 * b->data.size());
        for (unsigned char ch : b->data) {
          hex += kHex[ch >> 4];
          hex += kHex[ch & 0xf];
        }
        storage.push_back(std::move(hex));
      } else {
        storage.emplace_back();
      }
    }
    for (size_t i = 0; i < params.size(); ++i)
      pointers.push_back(std::holds_alternative<std::monostate>(params[i]) ? nullptr
                                                                           : storage[i].c_str());
  }
};

// "s" + 16 hex digits of the text's FNV-1a hash: stable, short, and a valid identifier.
std::string statement_name(std::string_view text) {
  uint64_t h = 14695981039346656037ull;
  for (unsigned char c : text) {
    h ^= c;
    h *= 1099511628211ull;
  }
  static const char kHex[] = "0123456789abcdef";
  std::string name = "s";
  for (int shift = 60; shift >= 0; shift -= 4) name += kHex[(h >> shift) & 0xf];
  return name;
}

}  // namespace

std::string scrub(std::string message, const Secrets& secrets) {
  for (const std::string& secret : secrets) {
    if (secret.empty()) continue;
    for (size_t at; (at = message.find(secret)) != std::string::npos;)
      message.replace(at, secret.size(), "***");
  }
  return message;
}

PgFailure current_pg_failure(std::string_view sql, const Secrets& secrets) {
  try {
    throw;
  } catch (const pqxx::unique_violation& e) {
    return make(ErrorCode::conflict, e.what(), sql, secrets);
  } catch (const pqxx::foreign_key_violation& e) {
    return make(ErrorCode::conflict, e.what(), sql, secrets);
  } catch (const pqxx::serialization_failure& e) {
    return make(ErrorCode::transient, e.what(), sql, secrets, true);
  } catch (const pqxx::deadlock_detected& e) {
    return make(ErrorCode::transient, e.what(), sql, secrets, true);
  } catch (const pqxx::transaction_rollback& e) {
    // statement_completion_unknown (40003) is not retried: the statement may have run.
    return make(ErrorCode::transient, e.what(), sql, secrets);
  } catch (const pqxx::sql_error& e) {
    const std::string& state = e.sqlstate();
    if (state == "40001" || state == "40P01")
      return make(ErrorCode::transient, e.what(), sql, secrets, true);
    if (state == "55P03" || state == "57014")  // lock_not_available, query_canceled (timeouts)
      return make(ErrorCode::transient, e.what(), sql, secrets);
    // Connection exceptions (08…, but 08P01 is a protocol violation: our bug), admin shutdown.
    if ((state.rfind("08", 0) == 0 && state != "08P01") || state == "57P01")
      return make(ErrorCode::transient, e.what(), sql, secrets, true, true);
    return make(ErrorCode::internal, e.what(), sql, secrets);
  } catch (const pqxx::in_doubt_error& e) {
    // Never retried: the transaction may have committed.
    return make(ErrorCode::transient,
                std::string("connection lost during COMMIT; the outcome is unknown: ") + e.what(),
                sql, secrets, false, true);
  } catch (const pqxx::broken_connection& e) {
    return make(ErrorCode::transient, e.what(), sql, secrets, true, true);
  } catch (const pqxx::conversion_error& e) {
    return make(ErrorCode::internal, e.what(), sql, secrets);
  } catch (const pqxx::failure& e) {
    return make(ErrorCode::internal, e.what(), sql, secrets);
  } catch (const std::exception& e) {
    return make(ErrorCode::internal, e.what(), sql, secrets);
  }
}

std::string typed_sql(std::string_view sql, const Params& params, size_t& used) {
  used = 0;
  std::string out;
  out.reserve(sql.size() + 16 * params.size());
  size_t i = 0;
  auto copy_until = [&](char close) {  // a quoted literal or identifier, as is
    out += sql[i++];
    while (i < sql.size()) {
      char c = sql[i++];
      out += c;
      if (c == close) {
        if (i < sql.size() && sql[i] == close) {  // doubled quote
          out += sql[i++];
          continue;
        }
        return;
      }
    }
  };
  while (i < sql.size()) {
    char c = sql[i];
    if (c == '\'' || c == '"') {
      copy_until(c);
      continue;
    }
    if (c == '-' && i + 1 < sql.size() && sql[i + 1] == '-') {  // comment to end of line
      while (i < sql.size() && sql[i] != '\n') out += sql[i++];
      continue;
    }
    const bool after_word = i > 0 && (std::isalnum(static_cast<unsigned char>(sql[i - 1])) ||
                                      sql[i - 1] == '_');
    if (c == '$' && !after_word && i + 1 < sql.size() &&
        std::isdigit(static_cast<unsigned char>(sql[i + 1]))) {
      size_t end = i + 1;
      while (end < sql.size() && std::isdigit(static_cast<unsigned char>(sql[end]))) ++end;
      std::string_view token = sql.substr(i, end - i);
      size_t n = 0;
      std::from_chars(token.data() + 1, token.data() + token.size(), n);
      used = std::max(used, n);
      const char* type = nullptr;
      if (n >= 1 && n <= params.size()) {
        const Value& v = params[n - 1];
        if (std::holds_alternative<int64_t>(v)) type = "BIGINT";
        else if (std::holds_alternative<std::string>(v)) type = "TEXT";
        else if (std::holds_alternative<Bytes>(v)) type = "BYTEA";
      }
      if (type) {
        out += "CAST(";
        out += token;
        out += " AS ";
        out += type;
        out += ")";
      } else {
        out += token;
      }
      i = end;
      continue;
    }
    out += c;
    ++i;
  }
  return out;
}

Error PgConnection::fail(std::string_view sql) {
  PgFailure f = current_pg_failure(sql, secrets_);
  retry_ = retry_ || f.retry;
  broken_ = broken_ || f.broken;
  return f.error;
}

Result<pqxx::result> PgConnection::run(std::string_view sql, const Params& params) {
  size_t used = 0;
  std::string typed = typed_sql(sql, params, used);
  if (used > params.size())
    return Error::internal("postgres: parameter $" + std::to_string(used) + " of " +
                           excerpt(sql) + " is not given (" + std::to_string(params.size()) +
                           " given)");
  try {
    TextParams text(params, used);
    // Every statement runs as a named prepared statement of its connection: the server then
    // parses and plans each text once per connection instead of at every execution (twice the
    // throughput for a checkpoint's statement). The name is a hash of the text; libpqxx
    // prepares it on first use and ignores a second prepare() of the same name and text.
    const std::string name = statement_name(typed);
    tx_.conn().prepare(name, typed);
    return tx_.exec_prepared(name, pqxx::prepare::make_dynamic_params(text.pointers));
  } catch (...) {
    return fail(sql);
  }
}

Result<Rows> PgConnection::query(std::string_view sql, const Params& params) {
  auto r = run(sql, params);
  if (!r) return r.error();
  return convert(*r);
}

Result<int64_t> PgConnection::execute(std::string_view sql, const Params& params) {
  auto r = run(sql, params);
  if (!r) return r.error();
  return static_cast<int64_t>(r->affected_rows());
}

Result<void> PgConnection::execute_script(std::string_view sql) {
  try {
    tx_.exec(std::string(sql));
    return {};
  } catch (...) {
    return fail(sql);
  }
}

}  // namespace utask::persistence::sql
