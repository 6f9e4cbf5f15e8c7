#pragma once
// Column conversions shared by every file of the SQL store: encryption of sensitive columns
// (with the AAD of docs/storage.md §2), times, JSON string lists and maps, public ids.

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "model/error.h"
#include "persistence/crypto/blob.h"
#include "persistence/records.h"
#include "persistence/sql/value.h"

namespace utask::persistence {

class KeyRing;

// Where each encrypted column's blobs live (table, column, row); the only place AADs are made.
Aad task_input_aad(const std::string& task_id);
Aad task_result_aad(const std::string& task_id);
Aad comment_content_aad(const std::string& comment_id);
Aad resolution_resolver_inputs_aad(const std::string& resolution_id);
Aad resolution_base_configurations_aad(const std::string& resolution_id);
Aad step_body_aad(const std::string& resolution_id, const std::string& step_name);

class Columns {
 public:
  explicit Columns(std::shared_ptr<const KeyRing> ring) : ring_(std::move(ring)) {}

  // A BLOB parameter sealing `plain` for `where`.
  Result<sql::Value> seal(std::string_view plain, const Aad& where) const;
  // The plaintext of the blob in `row[col]`; errors name table, column and row.
  Result<std::string> open(const sql::Row& row, size_t col, const Aad& where) const;
  Result<std::optional<std::string>> open_optional(const sql::Row& row, size_t col,
                                                   const Aad& where) const;
  const KeyRing& ring() const { return *ring_; }

 private:
  std::shared_ptr<const KeyRing> ring_;
};

int64_t to_micros(Timestamp t);
Timestamp from_micros(int64_t us);
sql::Value time_value(const std::optional<Timestamp>& t);
std::optional<Timestamp> optional_time(const sql::Row& row, size_t col);

// JSON text of a string list / string map, and back (a malformed cell is internal).
std::string string_list_json(const std::vector<std::string>& list);
Result<std::vector<std::string>> parse_string_list(const std::string& json);
std::string tags_json(const Tags& tags);
Result<Tags> parse_tags(const std::string& json);

// A random (version 4) UUID in canonical lower-case text.
std::string new_public_id();
// True when `id` is a canonical UUID (36 chars, hex and dashes, any case); callers lower-case.
bool looks_like_uuid(std::string_view id);

}  // namespace utask::persistence
