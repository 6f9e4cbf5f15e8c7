#include "persistence/crypto/blob.h"

#include <algorithm>

namespace utask::persistence {
namespace {

void append_field(std::string& out, std::string_view field) {
  const auto n = static_cast<uint64_t>(field.size());
  for (int shift = 56; shift >= 0; shift -= 8) out.push_back(static_cast<char>(n >> shift));
  out += field;
}

}  // namespace

std::string additional_data(const KeyId& key_id, const Aad& where) {
  std::string out;
  out.reserve(kBlobHeaderBytes + 3 * 8 + where.table.size() + where.column.size() +
              where.row.size());
  out.push_back(static_cast<char>(kBlobFormat));
  out.append(reinterpret_cast<const char*>(key_id.data()), key_id.size());
  append_field(out, where.table);
  append_field(out, where.column);
  append_field(out, where.row);
  return out;
}

std::optional<BlobHeader> read_blob_header(std::string_view blob) {
  if (blob.size() < kBlobHeaderBytes) return std::nullopt;
  BlobHeader h;
  h.format = static_cast<uint8_t>(blob[0]);
  std::copy_n(reinterpret_cast<const unsigned char*>(blob.data()) + 1, kKeyIdBytes,
              h.key_id.begin());
  return h;
}

}  // namespace utask::persistence
