// Templates and functions: synced from their directories at start, read by name, listed by
// name with keyset pagination.
//
// A sync is one write transaction. Postgres runs it under a transaction-level advisory lock,
// so instances starting together apply their syncs one after the other (each sees the
// other's rows and finds them unchanged); SQLite's BEGIN IMMEDIATE serialises them already.

#include <sodium.h>

#include <algorithm>
#include <map>
#include <set>

#include "persistence/crypto/cipher.h"
#include "persistence/store/sql_store.h"
#include "persistence/store/task_rows.h"

namespace utask::persistence {

namespace {

constexpr int64_t kSyncLockKey = 0x75746173'6b53796e;  // "utaskSyn"

std::string sha256_hex(const std::string& text) {
  (void)init_sodium();
  unsigned char digest[crypto_hash_sha256_BYTES];
  crypto_hash_sha256(digest, reinterpret_cast<const unsigned char*>(text.data()), text.size());
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  for (unsigned char b : digest) {
    out.push_back(kHex[b >> 4]);
    out.push_back(kHex[b & 0x0f]);
  }
  return out;
}

// Names compare byte-wise in both backends (Postgres would otherwise use the database's
// collation), so pages are the same on SQLite and Postgres.
std::string by_name(sql::Dialect d, const std::string& column) {
  return d == sql::Dialect::postgres ? column + " COLLATE \"C\"" : column;
}

Result<void> lock_sync(sql::Connection& conn, sql::Dialect d) {
  if (d != sql::Dialect::postgres) return {};
  auto r = conn.query("SELECT 1 FROM (SELECT pg_advisory_xact_lock($1)) l", {kSyncLockKey});
  if (!r) return r.error();
  return {};
}

using ResolverSet = std::set<std::pair<std::string, std::string>>;  // (kind, name)

ResolverSet resolver_set(const TemplateRecord& t) {
  ResolverSet s;
  for (const auto& u : t.allowed_resolver_usernames) s.emplace("user", u);
  for (const auto& g : t.allowed_resolver_groups) s.emplace("group", g);
  return s;
}

struct StoredTemplate {
  int64_t id = 0;
  std::string description, hash;
  bool hidden = false, blocked = false, archived = false;
  ResolverSet resolvers;
};

Result<std::map<std::string, StoredTemplate>> load_stored_templates(sql::Connection& conn) {
  auto rows = conn.query(
      "SELECT id, name, description, definition_hash, hidden, blocked, archived FROM template");
  if (!rows) return rows.error();
  std::map<std::string, StoredTemplate> out;
  std::map<int64_t, StoredTemplate*> by_id;
  for (const auto& r : *rows) {
    auto& t = out[r.text(1)];
    t.id = r.integer(0);
    t.description = r.text(2);
    t.hash = r.text(3);
    t.hidden = r.boolean(4);
    t.blocked = r.boolean(5);
    t.archived = r.boolean(6);
    by_id[t.id] = &t;
  }
  auto res = conn.query("SELECT template_id, kind, name FROM template_resolver");
  if (!res) return res.error();
  for (const auto& r : *res) {
    auto it = by_id.find(r.integer(0));
    if (it != by_id.end()) it->second->resolvers.emplace(r.text(1), r.text(2));
  }
  return out;
}

Result<void> write_resolvers(sql::Connection& conn, int64_t template_id,
                             const ResolverSet& resolvers) {
  auto del = conn.execute("DELETE FROM template_resolver WHERE template_id = $1", {template_id});
  if (!del) return del.error();
  for (const auto& [kind, name] : resolvers) {
    auto ins = conn.execute(
        "INSERT INTO template_resolver (template_id, kind, name) VALUES ($1, $2, $3)",
        {template_id, kind, name});
    if (!ins) return ins.error();
  }
  return {};
}

Result<void> sync_templates_in_tx(sql::Connection& conn, sql::Dialect d,
                                  const std::vector<TemplateRecord>& templates, Timestamp now,
                                  SyncReport& report) {
  if (auto l = lock_sync(conn, d); !l) return l;
  auto stored = load_stored_templates(conn);
  if (!stored) return stored.error();
  std::set<std::string> wanted;
  for (const auto& t : templates) {
    if (!wanted.insert(t.name).second) {
      return Error{ErrorCode::conflict, "template " + t.name + " is given twice", "template.name"};
    }
    const std::string hash = sha256_hex(t.definition_json);
    const ResolverSet resolvers = resolver_set(t);
    auto it = stored->find(t.name);
    if (it == stored->end()) {
      auto rows = conn.query(
          "INSERT INTO template (name, description, definition, definition_hash, hidden, "
          "blocked, archived, updated) VALUES ($1, $2, $3, $4, $5, $6, 0, $7) RETURNING id",
          {t.name, t.description, t.definition_json, hash, int64_t{t.hidden},
           int64_t{t.blocked}, to_micros(now)});
      if (!rows) return rows.error();
      if (auto w = write_resolvers(conn, rows->front().integer(0), resolvers); !w) return w;
      ++report.inserted;
      continue;
    }
    const StoredTemplate& s = it->second;
    if (s.hash == hash && s.description == t.description && s.hidden == t.hidden &&
        s.blocked == t.blocked && !s.archived && s.resolvers == resolvers) {
      ++report.unchanged;
      continue;
    }
    auto up = conn.execute(
        "UPDATE template SET description = $2, definition = $3, definition_hash = $4, "
        "hidden = $5, blocked = $6, archived = 0, updated = $7 WHERE id = $1",
        {s.id, t.description, t.definition_json, hash, int64_t{t.hidden}, int64_t{t.blocked},
         to_micros(now)});
    if (!up) return up.error();
    if (s.resolvers != resolvers) {
      if (auto w = write_resolvers(conn, s.id, resolvers); !w) return w;
    }
    ++report.updated;
  }
  for (const auto& [name, s] : *stored) {
    if (wanted.count(name)) continue;
    auto used = conn.query("SELECT 1 FROM task WHERE template_id = $1 LIMIT 1", {s.id});
    if (!used) return used.error();
    if (used->empty()) {
      auto del = conn.execute("DELETE FROM template WHERE id = $1", {s.id});
      if (!del) return del.error();
      ++report.deleted;
    } else if (s.archived) {
      ++report.unchanged;
    } else {
      auto up = conn.execute(
          "UPDATE template SET archived = 1, hidden = 1, blocked = 1, updated = $2 "
          "WHERE id = $1",
          {s.id, to_micros(now)});
      if (!up) return up.error();
      ++report.archived;
    }
  }
  return {};
}

// Reads templates with their resolver rows; `where` and `params` select them.
Result<std::vector<TemplateRecord>> read_templates(sql::Connection& conn, sql::Dialect d,
                                                   const std::string& where,
                                                   const sql::Params& params) {
  auto rows = conn.query(
      "SELECT id, name, description, definition, hidden, blocked, archived FROM template " +
          where,
      params);
  if (!rows) return rows.error();
  std::vector<TemplateRecord> out;
  if (rows->empty()) return out;
  std::map<int64_t, size_t> index;
  std::string ids;
  sql::Params id_params;
  for (const auto& r : *rows) {
    TemplateRecord t;
    t.name = r.text(1);
    t.description = r.text(2);
    t.definition_json = r.text(3);
    t.hidden = r.boolean(4);
    t.blocked = r.boolean(5);
    t.archived = r.boolean(6);
    index[r.integer(0)] = out.size();
    out.push_back(std::move(t));
    id_params.push_back(r.integer(0));
    ids += (ids.empty() ? "$" : ", $") + std::to_string(id_params.size());
  }
  auto res = conn.query("SELECT template_id, kind, name FROM template_resolver "
                        "WHERE template_id IN (" + ids + ") ORDER BY " + by_name(d, "name"),
                        id_params);
  if (!res) return res.error();
  for (const auto& r : *res) {
    TemplateRecord& t = out[index.at(r.integer(0))];
    (r.text(1) == "user" ? t.allowed_resolver_usernames : t.allowed_resolver_groups)
        .push_back(r.text(2));
  }
  return out;
}

template <class T>
std::string next_key(const std::vector<T>& items, size_t limit) {
  return !items.empty() && items.size() >= limit ? items.back().name : std::string();
}

}  // namespace

Result<SyncReport> SqlStore::sync_templates(const std::vector<TemplateRecord>& templates) {
  SyncReport report;
  auto tx = db_->transact(sql::TxKind::write, [&](sql::Connection& conn) {
    report = {};
    return guarded<void>("sync_templates",
                         [&] { return sync_templates_in_tx(conn, dialect(), templates, now(),
                                                           report); });
  });
  if (!tx) return tx.error();
  return report;
}

Result<SyncReport> SqlStore::sync_functions(const std::vector<FunctionRecord>& functions) {
  SyncReport report;
  auto tx = db_->transact(sql::TxKind::write, [&](sql::Connection& conn) -> Result<void> {
    report = {};
    return guarded<void>("sync_functions", [&]() -> Result<void> {
      if (auto l = lock_sync(conn, dialect()); !l) return l;
      auto rows = conn.query("SELECT id, name, definition_hash FROM function");
      if (!rows) return rows.error();
      std::map<std::string, std::pair<int64_t, std::string>> stored;
      for (const auto& r : *rows) stored[r.text(1)] = {r.integer(0), r.text(2)};
      std::set<std::string> wanted;
      for (const auto& f : functions) {
        if (!wanted.insert(f.name).second) {
          return Error{ErrorCode::conflict, "function " + f.name + " is given twice",
                       "function.name"};
        }
        const std::string hash = sha256_hex(f.definition_json);
        auto it = stored.find(f.name);
        Result<int64_t> w = int64_t{0};
        if (it == stored.end()) {
          w = conn.execute(
              "INSERT INTO function (name, definition, definition_hash) VALUES ($1, $2, $3)",
              {f.name, f.definition_json, hash});
          ++report.inserted;
        } else if (it->second.second != hash) {
          w = conn.execute(
              "UPDATE function SET definition = $2, definition_hash = $3 WHERE id = $1",
              {it->second.first, f.definition_json, hash});
          ++report.updated;
        } else {
          ++report.unchanged;
        }
        if (!w) return w.error();
      }
      for (const auto& [name, row] : stored) {
        if (wanted.count(name)) continue;
        auto del = conn.execute("DELETE FROM function WHERE id = $1", {row.first});
        if (!del) return del.error();
        ++report.deleted;
      }
      return {};
    });
  });
  if (!tx) return tx.error();
  return report;
}

Result<TemplateRecord> SqlStore::get_template(const std::string& name) {
  std::optional<TemplateRecord> found;
  auto tx = db_->transact(sql::TxKind::read, [&](sql::Connection& conn) {
    return guarded<void>("get_template", [&]() -> Result<void> {
      auto t = read_templates(conn, dialect(), "WHERE name = $1", {name});
      if (!t) return t.error();
      if (!t->empty()) found = std::move(t->front());
      return {};
    });
  });
  if (!tx) return tx.error();
  if (!found) return Error::not_found("template " + name + " not found");
  return std::move(*found);
}

Result<Page<TemplateRecord>> SqlStore::list_templates(const PageRequest& page,
                                                      bool include_hidden) {
  Page<TemplateRecord> out;
  auto tx = db_->transact(sql::TxKind::read, [&](sql::Connection& conn) {
    return guarded<void>("list_templates", [&]() -> Result<void> {
      sql::Params params;
      std::string where = "WHERE 1 = 1";
      if (!page.after.empty()) {
        auto known = conn.query("SELECT 1 FROM template WHERE name = $1", {page.after});
        if (!known) return known.error();
        if (known->empty()) return Error::not_found("template " + page.after + " not found");
        params.push_back(page.after);
        where += " AND " + by_name(dialect(), "name") + " > $1";
      }
      if (!include_hidden) where += " AND hidden = 0 AND archived = 0";
      params.push_back(static_cast<int64_t>(page.limit));
      where += " ORDER BY " + by_name(dialect(), "name") + " LIMIT $" +
               std::to_string(params.size());
      auto t = read_templates(conn, dialect(), where, params);
      if (!t) return t.error();
      out.items = std::move(*t);
      return {};
    });
  });
  if (!tx) return tx.error();
  out.next = next_key(out.items, page.limit);
  return out;
}

Result<FunctionRecord> SqlStore::get_function(const std::string& name) {
  std::optional<FunctionRecord> found;
  auto tx = db_->transact(sql::TxKind::read, [&](sql::Connection& conn) {
    return guarded<void>("get_function", [&]() -> Result<void> {
      auto rows = conn.query("SELECT name, definition FROM function WHERE name = $1", {name});
      if (!rows) return rows.error();
      if (!rows->empty()) found = FunctionRecord{rows->front().text(0), rows->front().text(1)};
      return {};
    });
  });
  if (!tx) return tx.error();
  if (!found) return Error::not_found("function " + name + " not found");
  return std::move(*found);
}

// An `after` that names no function continues after it in name order (the original starts
// "after" an unknown name too, rather than failing).
Result<Page<FunctionRecord>> SqlStore::list_functions(const PageRequest& page) {
  Page<FunctionRecord> out;
  auto tx = db_->transact(sql::TxKind::read, [&](sql::Connection& conn) {
    return guarded<void>("list_functions", [&]() -> Result<void> {
      const std::string order = by_name(dialect(), "name");
      auto rows = conn.query("SELECT name, definition FROM function WHERE " + order +
                                 " > $1 ORDER BY " + order + " LIMIT $2",
                             {page.after, static_cast<int64_t>(page.limit)});
      if (!rows) return rows.error();
      for (const auto& r : *rows) out.items.push_back({r.text(0), r.text(1)});
      return {};
    });
  });
  if (!tx) return tx.error();
  out.next = next_key(out.items, page.limit);
  return out;
}

}  // namespace utask::persistence
