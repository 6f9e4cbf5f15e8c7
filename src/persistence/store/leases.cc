// SqlStore: instances and leases (docs/storage.md §4, §5). Acquiring sets the lease columns
// and bumps the generation; every write under a lease is fenced on that generation and goes
// through write_resolution_change(); claiming takes the smallest due_at.

#include <algorithm>
#include <string>
#include <utility>

#include "persistence/store/due_at.h"
#include "persistence/store/resolution_rows.h"
#include "persistence/store/sql_store.h"
#include "persistence/store/task_rows.h"

namespace utask::persistence {

namespace {

// The WHERE part restricting a claim to `kinds` (due_at.h's state lists). Empty: none.
std::string kinds_condition(const ClaimKinds& kinds) {
  std::string out;
  auto add = [&](const char* c) { out += (out.empty() ? "" : " OR ") + std::string(c); };
  if (kinds.autorun) add("(lease_instance IS NULL AND state = 'TO_AUTORUN')");
  if (kinds.retry) {
    add("(lease_instance IS NULL AND state IN ('ERROR', 'TO_AUTORUN_DELAYED', 'WAITING'))");
  }
  if (kinds.recovery) add("(lease_instance IS NOT NULL OR state IN ('RUNNING', 'CRASHED'))");
  return out.empty() ? out : "(" + out + ")";
}

Error lease_lost(const Lease& lease, const std::string& why) {
  return Error{ErrorCode::lease_lost,
               "resolution " + lease.resolution_id + ": lease generation " +
                   std::to_string(lease.generation) + " of instance " +
                   std::to_string(lease.instance_id) + " " + why,
               {}};
}

}  // namespace

Result<Instance> SqlStore::register_instance(const Instance& self) {
  Instance out = self;
  out.started = out.heartbeat = now();
  auto done = db_->transact(sql::TxKind::write, [&](sql::Connection& conn) -> Result<void> {
    auto rows = conn.query(
        "INSERT INTO instance (hostname, pid, version, started, heartbeat) "
        "VALUES ($1, $2, $3, $4, $4) RETURNING id",
        {self.hostname, self.pid, self.version, to_micros(out.started)});
    if (!rows) return rows.error();
    auto id = guarded<int64_t>("reading an instance id",
                               [&]() -> Result<int64_t> { return rows->front().integer(0); });
    if (!id) return id.error();
    out.id = *id;
    return {};
  });
  if (!done) return done.error();
  return out;
}

Result<std::vector<Lease>> SqlStore::heartbeat(int64_t instance_id) {
  const Timestamp t = now();
  const Timestamp expires = t + options_.lease_ttl;
  std::vector<Lease> leases;
  auto done = db_->transact(sql::TxKind::write, [&](sql::Connection& conn) -> Result<void> {
    auto beat = conn.execute("UPDATE instance SET heartbeat = $1 WHERE id = $2",
                             {to_micros(t), instance_id});
    if (!beat) return beat.error();
    if (*beat == 0) {
      return Error::not_found("instance " + std::to_string(instance_id) +
                              " not found (declared dead and collected)");
    }
    // Renews every lease still in the instance's name, expired ones too: nobody took them,
    // so the generation is still the holder's.
    auto rows = conn.query(
        "UPDATE resolution SET lease_expires = $1, due_at = $1 WHERE lease_instance = $2 "
        "RETURNING public_id, lease_generation, wake_seq",
        {to_micros(expires), instance_id});
    if (!rows) return rows.error();
    auto read = guarded<bool>("reading leases", [&]() -> Result<bool> {
      for (const auto& row : *rows) {
        leases.push_back(Lease{row.text(0), instance_id, row.integer(1), expires, row.integer(2)});
      }
      return true;
    });
    if (!read) return read.error();
    return {};
  });
  if (!done) return done.error();
  std::sort(leases.begin(), leases.end(),
            [](const Lease& a, const Lease& b) { return a.resolution_id < b.resolution_id; });
  return leases;
}

Result<std::vector<Instance>> SqlStore::list_instances() {
  std::vector<Instance> out;
  auto done = db_->transact(sql::TxKind::read, [&](sql::Connection& conn) -> Result<void> {
    auto rows = conn.query(
        "SELECT id, hostname, pid, version, started, heartbeat FROM instance ORDER BY id");
    if (!rows) return rows.error();
    auto read = guarded<bool>("reading instances", [&]() -> Result<bool> {
      for (const auto& row : *rows) {
        out.push_back(Instance{row.integer(0), row.text(1), row.integer(2), row.text(3),
                               from_micros(row.integer(4)), from_micros(row.integer(5))});
      }
      return true;
    });
    if (!read) return read.error();
    return {};
  });
  if (!done) return done.error();
  return out;
}

Result<std::vector<Claim>> SqlStore::claim(int64_t instance_id, const ClaimKinds& kinds,
                                           size_t max) {
  const std::string kinds_sql = kinds_condition(kinds);
  if (kinds_sql.empty() || max == 0) return std::vector<Claim>();
  const Timestamp t = now();
  const Timestamp expires = t + options_.lease_ttl;
  const auto limit = static_cast<int64_t>(max);
  std::vector<Claim> out;
  auto done = db_->transact(sql::TxKind::write, [&](sql::Connection& conn) -> Result<void> {
    out.clear();
    // Columns: public_id, lease_generation, wake_seq (after), then state, lease_instance,
    // wake_seq_seen (before the claim: the reason is derived from them).
    sql::Rows rows;
    const std::string candidates =
        "SELECT id, state, lease_instance, wake_seq, wake_seq_seen FROM resolution "
        "WHERE due_at <= $1 AND " +
        kinds_sql + " ORDER BY due_at, id LIMIT ";
    if (dialect() == sql::Dialect::postgres) {
      // One statement: SKIP LOCKED lets concurrent claimers pass over each other's
      // candidates; the row locks and the re-check of the WHERE clause on the locked versions
      // mean two instances never lease the same row.
      auto claimed = conn.query(
          "WITH c AS (" + candidates +
              "$4 FOR UPDATE SKIP LOCKED) "
              "UPDATE resolution r SET lease_instance = $2, "
              "lease_generation = r.lease_generation + 1, lease_expires = $3, due_at = $3, "
              "instance_id = $2 FROM c WHERE r.id = c.id "
              "RETURNING r.public_id, r.lease_generation, r.wake_seq, c.state, c.lease_instance, "
              "c.wake_seq_seen",
          {to_micros(t), instance_id, to_micros(expires), limit});
      if (!claimed) return claimed.error();
      rows = std::move(*claimed);
    } else {
      // BEGIN IMMEDIATE holds the write lock: the SELECT and the UPDATEs see the same rows.
      auto found = conn.query(candidates + "$2", {to_micros(t), limit});
      if (!found) return found.error();
      for (const sql::Row& c : *found) {
        auto updated = conn.query(
            "UPDATE resolution SET lease_instance = $1, lease_generation = lease_generation + 1, "
            "lease_expires = $2, due_at = $2, instance_id = $1 WHERE id = $3 "
            "RETURNING public_id, lease_generation, wake_seq",
            {instance_id, to_micros(expires), c.cell(0)});
        if (!updated) return updated.error();
        if (updated->empty()) return Error::internal("claimed resolution vanished");
        const sql::Row& u = updated->front();
        rows.push_back(sql::Row({u.cell(0), u.cell(1), u.cell(2), c.cell(1), c.cell(2), c.cell(4)}));
      }
    }
    auto read = guarded<bool>("reading claims", [&]() -> Result<bool> {
      for (const sql::Row& row : rows) {
        Claim claim;
        claim.lease = Lease{row.text(0), instance_id, row.integer(1), expires, row.integer(2)};
        claim.state = row.text(3);
        claim.reason =
            claim_reason(claim.state, !row.is_null(4), claim.lease.wake_seq > row.integer(5));
        out.push_back(std::move(claim));
      }
      return true;
    });
    if (!read) return read.error();
    return {};
  });
  if (!done) return done.error();
  return out;
}

Result<Lease> SqlStore::acquire_lease(const std::string& resolution_id, int64_t instance_id) {
  const Timestamp t = now();
  const Timestamp expires = t + options_.lease_ttl;
  Lease out;
  auto done = db_->transact(sql::TxKind::write, [&](sql::Connection& conn) -> Result<void> {
    auto row = load_resolution(conn, dialect(), resolution_id, /*lock=*/true, nullptr);
    if (!row) return row.error();
    if (!*row) return Error::not_found("resolution " + resolution_id + " not found");
    const ResolutionRow& r = **row;
    if (r.live_lease(t)) {
      return Error{ErrorCode::conflict,
                   "resolution " + r.record.id + " is leased by instance " +
                       std::to_string(*r.lease_instance),
                   "resolution.state"};
    }
    auto rows = conn.query(
        "UPDATE resolution SET lease_instance = $1, lease_generation = lease_generation + 1, "
        "lease_expires = $2, due_at = $2, instance_id = $1 "
        "WHERE id = $3 AND (lease_instance IS NULL OR lease_expires <= $4) "
        "RETURNING lease_generation, wake_seq",
        {instance_id, to_micros(expires), r.row_id, to_micros(t)});
    if (!rows) return rows.error();
    if (rows->empty()) {
      return Error{ErrorCode::conflict, "resolution " + r.record.id + " is leased", {}};
    }
    auto read = guarded<bool>("reading a lease", [&]() -> Result<bool> {
      out = Lease{r.record.id, instance_id, rows->front().integer(0), expires,
                  rows->front().integer(1)};
      return true;
    });
    if (!read) return read.error();
    return {};
  });
  if (!done) return done.error();
  return out;
}

namespace {

// The holder's write, fenced on its generation, inside the caller's transaction. A
// checkpoint writes without reading the row first (write_checkpoint); a release reads it,
// under lock, for the wake counter its due_at depends on. Either way a lease_lost is found
// before anything is written.
Result<void> write_fenced(sql::Connection& conn, sql::Dialect dialect, const Columns& columns,
                          const Lease& lease, const ResolutionChange& change,
                          const WriteContext& ctx) {
  if (ctx.lease == LeaseWrite::extend) {
    return write_checkpoint(conn, dialect, columns, lease, change, ctx.now);
  }
  auto row = load_resolution(conn, dialect, lease.resolution_id, /*lock=*/true, nullptr);
  if (!row) return row.error();
  if (!*row) return lease_lost(lease, "ended: the resolution was deleted");
  const ResolutionRow& r = **row;
  if (r.record.generation != lease.generation) {
    return lease_lost(lease, "was superseded by generation " + std::to_string(r.record.generation));
  }
  if (r.lease_instance != lease.instance_id) return lease_lost(lease, "was released");
  return write_resolution_change(conn, dialect, columns, r, change, ctx);
}

Result<void> write_under_lease(sql::Database& db, const Columns& columns, const Lease& lease,
                               const ResolutionChange& change, const WriteContext& ctx) {
  return db.transact(sql::TxKind::write, [&](sql::Connection& conn) -> Result<void> {
    return write_fenced(conn, db.dialect(), columns, lease, change, ctx);
  });
}

}  // namespace

std::vector<Result<void>> SqlStore::write_leased(const std::vector<LeasedWrite>& writes) {
  std::vector<Result<void>> results(writes.size());
  const auto at = now();
  auto context = [&](const LeasedWrite& w) {
    return WriteContext{.now = at, .ttl = options_.lease_ttl,
                        .lease = w.release ? LeaseWrite::release : LeaseWrite::extend,
                        .holder = &w.lease};
  };
  // One transaction for the group and no savepoints: a fenced-out write fails in its first
  // statement, having written nothing, and the others go on. Any other failure of a write
  // rolls the group back, and each write is then tried in a transaction of its own.
  bool write_failed = false;
  auto done = db_->transact(sql::TxKind::write, [&](sql::Connection& conn) -> Result<void> {
    write_failed = false;  // transact() may run the body again
    for (size_t i = 0; i < writes.size(); ++i) {
      results[i] = write_fenced(conn, dialect(), columns_, writes[i].lease, writes[i].change,
                                context(writes[i]));
      if (!results[i].ok() && results[i].error().code != ErrorCode::lease_lost) {
        write_failed = true;
        return results[i].error();
      }
    }
    return {};
  });
  if (done.ok()) return results;
  if (!write_failed || writes.size() == 1) {  // the commit failed: its outcome is the group's
    for (auto& r : results) r = done.error();
    return results;
  }
  for (size_t i = 0; i < writes.size(); ++i) {
    results[i] = write_under_lease(*db_, columns_, writes[i].lease, writes[i].change,
                                   context(writes[i]));
  }
  return results;
}

Result<void> SqlStore::checkpoint(const Lease& lease, const ResolutionChange& change) {
  return write_under_lease(
      *db_, columns_, lease, change,
      {.now = now(), .ttl = options_.lease_ttl, .lease = LeaseWrite::extend, .holder = &lease});
}

Result<void> SqlStore::release(const Lease& lease, const ResolutionChange& change) {
  return write_under_lease(
      *db_, columns_, lease, change,
      {.now = now(), .ttl = options_.lease_ttl, .lease = LeaseWrite::release, .holder = &lease});
}

}  // namespace utask::persistence
