#include "config/item.h"

namespace utask::config {

std::string normalize_key(std::string_view key) {
  std::string out(key);
  for (char& c : out) {
    if (c == '_') c = '-';
    else if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

}  // namespace utask::config
