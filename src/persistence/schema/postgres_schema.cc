// The PostgreSQL migrations. Released migrations never change (their checksum is checked at open):
// a change to the schema is a new migration appended to the list.
//
// Same tables, columns and indexes as sqlite_schema.cc (docs/storage.md §2, §3), with the
// portable types of §1: times are BIGINT microseconds (not timestamptz) and booleans INTEGER
// 0/1, so one SQL text of the store serves both backends.

#include "persistence/schema/dialect_migrations.h"

namespace utask::persistence::schema {

namespace {

constexpr const char* kInitial = R"sql(
CREATE TABLE instance (
  id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  hostname TEXT NOT NULL,
  pid BIGINT NOT NULL,
  version TEXT NOT NULL,
  started BIGINT NOT NULL,
  heartbeat BIGINT NOT NULL
);

CREATE TABLE template (
  id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  name TEXT NOT NULL UNIQUE,
  description TEXT NOT NULL DEFAULT '',
  definition TEXT NOT NULL,
  definition_hash TEXT NOT NULL,
  hidden INTEGER NOT NULL DEFAULT 0 CHECK (hidden IN (0, 1)),
  blocked INTEGER NOT NULL DEFAULT 0 CHECK (blocked IN (0, 1)),
  archived INTEGER NOT NULL DEFAULT 0 CHECK (archived IN (0, 1)),
  updated BIGINT NOT NULL
);

CREATE TABLE template_resolver (
  template_id BIGINT NOT NULL REFERENCES template (id) ON DELETE CASCADE,
  kind TEXT NOT NULL CHECK (kind IN ('user', 'group')),
  name TEXT NOT NULL,
  PRIMARY KEY (kind, name, template_id)
);
CREATE INDEX template_resolver_template ON template_resolver (template_id);

CREATE TABLE function (
  id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  name TEXT NOT NULL UNIQUE,
  definition TEXT NOT NULL,
  definition_hash TEXT NOT NULL
);

CREATE TABLE batch (
  id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  public_id TEXT NOT NULL UNIQUE,
  created BIGINT NOT NULL
);

CREATE TABLE task (
  id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  public_id TEXT NOT NULL UNIQUE,
  template_id BIGINT NOT NULL REFERENCES template (id),
  batch_id BIGINT REFERENCES batch (id),
  parent_task_id BIGINT REFERENCES task (id) ON DELETE SET NULL,
  title TEXT NOT NULL,
  state TEXT NOT NULL,
  requester_username TEXT NOT NULL,
  requester_groups TEXT NOT NULL DEFAULT '[]',
  watcher_usernames TEXT NOT NULL DEFAULT '[]',
  watcher_groups TEXT NOT NULL DEFAULT '[]',
  resolver_usernames TEXT NOT NULL DEFAULT '[]',
  resolver_groups TEXT NOT NULL DEFAULT '[]',
  tags TEXT NOT NULL DEFAULT '{}',
  steps_done INTEGER NOT NULL DEFAULT 0,
  steps_total INTEGER NOT NULL DEFAULT 0,
  created BIGINT NOT NULL,
  last_activity BIGINT NOT NULL,
  input BYTEA,
  result BYTEA
);
CREATE INDEX task_order ON task (last_activity DESC, id DESC);
CREATE INDEX task_state ON task (state, last_activity DESC, id DESC);
CREATE INDEX task_template ON task (template_id, last_activity DESC, id DESC);
CREATE INDEX task_batch ON task (batch_id, last_activity DESC, id DESC)
  WHERE batch_id IS NOT NULL;
CREATE INDEX task_requester ON task (requester_username, last_activity DESC, id DESC);
CREATE INDEX task_parent ON task (parent_task_id) WHERE parent_task_id IS NOT NULL;

CREATE TABLE task_principal (
  role TEXT NOT NULL
    CHECK (role IN ('watcher_user', 'watcher_group', 'resolver_user', 'resolver_group')),
  name TEXT NOT NULL,
  task_id BIGINT NOT NULL REFERENCES task (id) ON DELETE CASCADE,
  PRIMARY KEY (role, name, task_id)
);
CREATE INDEX task_principal_task ON task_principal (task_id);

CREATE TABLE task_tag (
  key TEXT NOT NULL,
  value TEXT NOT NULL,
  task_id BIGINT NOT NULL REFERENCES task (id) ON DELETE CASCADE,
  PRIMARY KEY (key, value, task_id)
);
CREATE INDEX task_tag_task ON task_tag (task_id);

CREATE TABLE comment (
  id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  public_id TEXT NOT NULL UNIQUE,
  task_id BIGINT NOT NULL REFERENCES task (id) ON DELETE CASCADE,
  username TEXT NOT NULL,
  created BIGINT NOT NULL,
  updated BIGINT NOT NULL,
  content BYTEA NOT NULL
);
CREATE INDEX comment_task ON comment (task_id, id);

CREATE TABLE resolution (
  id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  public_id TEXT NOT NULL UNIQUE,
  task_id BIGINT NOT NULL UNIQUE REFERENCES task (id) ON DELETE CASCADE,
  resolver_username TEXT NOT NULL DEFAULT '',
  state TEXT NOT NULL,
  instance_id BIGINT,
  created BIGINT NOT NULL,
  last_start BIGINT,
  last_stop BIGINT,
  next_retry BIGINT,
  run_count INTEGER NOT NULL DEFAULT 0,
  run_max INTEGER NOT NULL DEFAULT 0,
  resolver_inputs BYTEA,
  base_configurations BYTEA,
  lease_instance BIGINT,
  lease_generation BIGINT NOT NULL DEFAULT 0,
  lease_expires BIGINT,
  wake_seq BIGINT NOT NULL DEFAULT 0,
  wake_seq_seen BIGINT NOT NULL DEFAULT 0,
  due_at BIGINT
);
CREATE INDEX resolution_due ON resolution (due_at) WHERE due_at IS NOT NULL;
CREATE INDEX resolution_lease ON resolution (lease_instance) WHERE lease_instance IS NOT NULL;

CREATE TABLE step (
  id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  resolution_id BIGINT NOT NULL REFERENCES resolution (id) ON DELETE CASCADE,
  name TEXT NOT NULL,
  state TEXT NOT NULL,
  body BYTEA NOT NULL,
  UNIQUE (resolution_id, name)
);

CREATE TABLE key_rotation (
  id INTEGER NOT NULL DEFAULT 1 PRIMARY KEY CHECK (id = 1),
  target_key_id TEXT NOT NULL,
  table_name TEXT NOT NULL DEFAULT '',
  last_row_id BIGINT NOT NULL DEFAULT 0,
  rows_done BIGINT NOT NULL DEFAULT 0,
  started BIGINT NOT NULL,
  finished BIGINT
);
)sql";

// Migration 2: callbacks of the `callback` action (actions.md §14). Secret, schema and body
// are encrypted (AAD: callback, <column>, <public id>); a callback goes with its task and
// resolution.
constexpr const char* kCallbacks = R"sql(
CREATE TABLE callback (
  id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  public_id TEXT NOT NULL UNIQUE,
  task_id BIGINT NOT NULL REFERENCES task (id) ON DELETE CASCADE,
  resolution_id BIGINT NOT NULL REFERENCES resolution (id) ON DELETE CASCADE,
  resolver_username TEXT NOT NULL DEFAULT '',
  created BIGINT NOT NULL,
  updated BIGINT NOT NULL,
  called BIGINT,
  secret BYTEA NOT NULL,
  json_schema BYTEA NOT NULL,
  body BYTEA
);
CREATE INDEX callback_task ON callback (task_id);
CREATE INDEX callback_resolution ON callback (resolution_id);
)sql";

// Migration 3: instance-wide settings shared by every instance on the database (the admin
// console's maintenance mode, issue 6). One row per key; the value is JSON text.
constexpr const char* kSettings = R"sql(
CREATE TABLE setting (
  key TEXT PRIMARY KEY,
  value TEXT NOT NULL,
  updated BIGINT NOT NULL,
  updated_by TEXT NOT NULL DEFAULT ''
);
)sql";

// Migration 4: the cache action's shared key/value store (actions.md §16). Values are JSON
// text in clear (a cache templates share); expiry in microseconds, NULL for never.
constexpr const char* kCache = R"sql(
CREATE TABLE cache (
  key TEXT PRIMARY KEY,
  value TEXT NOT NULL,
  expires_at BIGINT
);
CREATE INDEX cache_expires ON cache (expires_at) WHERE expires_at IS NOT NULL;
)sql";

// Migration 5: room on each page for the rows the engine rewrites. A checkpoint updates a
// step's state and body and a resolution's state and times, none of them indexed: with free
// space on the row's page the update is HOT (no new index entries, no index bloat); at the
// default fillfactor of 100 pages are full and every update writes every index. Applies to
// pages written from now on. (SQLite's migration 5 is its own fix of the same write path.)
// And the claim index gets the claim's whole order, (due_at, id): a claim of a burst took
// 1.5 ms sorting every due row (pg_stat_statements, 1,000 TO_AUTORUN resolutions).
constexpr const char* kStepWrites = R"sql(
ALTER TABLE step SET (fillfactor = 80);
ALTER TABLE resolution SET (fillfactor = 80);
DROP INDEX resolution_due;
CREATE INDEX resolution_due ON resolution (due_at, id) WHERE due_at IS NOT NULL;
)sql";

}  // namespace

const std::vector<Migration>& postgres_migrations() {
  static const std::vector<Migration> list{{1, "initial", kInitial},
                                           {2, "callbacks", kCallbacks},
                                           {3, "settings", kSettings},
                                           {4, "cache", kCache},
                                           {5, "step_writes", kStepWrites}};
  return list;
}

}  // namespace utask::persistence::schema
