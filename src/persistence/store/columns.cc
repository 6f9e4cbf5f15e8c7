#include "persistence/store/columns.h"

#include <sodium.h>

#include <array>
#include <cctype>
#include <nlohmann/json.hpp>

#include "persistence/crypto/cipher.h"
#include "persistence/crypto/key_ring.h"

namespace utask::persistence {

Aad task_input_aad(const std::string& task_id) { return {"task", "input", task_id}; }
Aad task_result_aad(const std::string& task_id) { return {"task", "result", task_id}; }
Aad comment_content_aad(const std::string& comment_id) {
  return {"comment", "content", comment_id};
}
Aad resolution_resolver_inputs_aad(const std::string& resolution_id) {
  return {"resolution", "resolver_inputs", resolution_id};
}
Aad resolution_base_configurations_aad(const std::string& resolution_id) {
  return {"resolution", "base_configurations", resolution_id};
}
// A public id is always 36 characters, so "<rid>/<name>" cannot be read two ways.
Aad step_body_aad(const std::string& resolution_id, const std::string& step_name) {
  return {"step", "body", resolution_id + "/" + step_name};
}

Result<sql::Value> Columns::seal(std::string_view plain, const Aad& where) const {
  auto blob = ring_->encrypt(plain, where);
  if (!blob) return blob.error();
  return sql::bytes(std::move(*blob));
}

Result<std::string> Columns::open(const sql::Row& row, size_t col, const Aad& where) const {
  if (row.is_null(col)) {
    return Error::internal("encrypted column " + where.table + "." + where.column + " of row " +
                           where.row + " is NULL");
  }
  return ring_->decrypt(row.text(col), where);
}

Result<std::optional<std::string>> Columns::open_optional(const sql::Row& row, size_t col,
                                                          const Aad& where) const {
  if (row.is_null(col)) return std::optional<std::string>();
  auto plain = ring_->decrypt(row.text(col), where);
  if (!plain) return plain.error();
  return std::optional<std::string>(std::move(*plain));
}

int64_t to_micros(Timestamp t) { return t.time_since_epoch().count(); }
Timestamp from_micros(int64_t us) { return Timestamp(std::chrono::microseconds(us)); }

sql::Value time_value(const std::optional<Timestamp>& t) {
  return t ? sql::Value(to_micros(*t)) : sql::null();
}

std::optional<Timestamp> optional_time(const sql::Row& row, size_t col) {
  auto us = row.optional_integer(col);
  if (!us) return std::nullopt;
  return from_micros(*us);
}

std::string string_list_json(const std::vector<std::string>& list) {
  return nlohmann::json(list).dump();
}

Result<std::vector<std::string>> parse_string_list(const std::string& json) {
  auto j = nlohmann::json::parse(json, nullptr, /*allow_exceptions=*/false);
  if (j.is_discarded()) return Error::internal("stored list is not a JSON array of strings");
  if (j.is_null()) return std::vector<std::string>();  // an unset list (docs/storage.md §1)
  if (!j.is_array()) return Error::internal("stored list is not a JSON array of strings");
  std::vector<std::string> out;
  out.reserve(j.size());
  for (const auto& item : j) {
    if (!item.is_string()) return Error::internal("stored list is not a JSON array of strings");
    out.push_back(item.get<std::string>());
  }
  return out;
}

std::string tags_json(const Tags& tags) { return nlohmann::json(tags).dump(); }

Result<Tags> parse_tags(const std::string& json) {
  auto j = nlohmann::json::parse(json, nullptr, /*allow_exceptions=*/false);
  if (j.is_discarded()) return Error::internal("stored tags are not a JSON object");
  if (j.is_null()) return Tags();
  if (!j.is_object()) return Error::internal("stored tags are not a JSON object");
  Tags out;
  for (const auto& [key, value] : j.items()) {
    if (!value.is_string()) return Error::internal("stored tag " + key + " is not a string");
    out.emplace(key, value.get<std::string>());
  }
  return out;
}

std::string new_public_id() {
  (void)init_sodium();  // idempotent; the key ring has done it already
  std::array<unsigned char, 16> b{};
  randombytes_buf(b.data(), b.size());
  b[6] = static_cast<unsigned char>((b[6] & 0x0f) | 0x40);  // version 4
  b[8] = static_cast<unsigned char>((b[8] & 0x3f) | 0x80);  // RFC 4122 variant
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  out.reserve(36);
  for (size_t i = 0; i < b.size(); ++i) {
    if (i == 4 || i == 6 || i == 8 || i == 10) out.push_back('-');
    out.push_back(kHex[b[i] >> 4]);
    out.push_back(kHex[b[i] & 0x0f]);
  }
  return out;
}

bool looks_like_uuid(std::string_view id) {
  if (id.size() != 36) return false;
  for (size_t i = 0; i < id.size(); ++i) {
    const char c = id[i];
    if (i == 8 || i == 13 || i == 18 || i == 23) {
      if (c != '-') return false;
    } else if (!std::isxdigit(static_cast<unsigned char>(c))) {
      return false;
    }
  }
  return true;
}

}  // namespace utask::persistence
