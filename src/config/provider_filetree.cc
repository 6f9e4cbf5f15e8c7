// `filetree` provider: one item per file, keyed by its path below the root.
#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "config/providers.h"

namespace utask::config {
namespace {

namespace fs = std::filesystem;

struct Walk {
  const std::string& provider_name;
  std::vector<Item> items;
  std::string error;  // first failure, empty when none
};

std::vector<fs::directory_entry> sorted_entries(const fs::path& dir, Walk& w) {
  std::vector<fs::directory_entry> entries;
  std::error_code ec;
  for (fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec))
    entries.push_back(*it);
  if (ec && w.error.empty()) w.error = "cannot list \"" + dir.string() + "\": " + ec.message();
  std::sort(entries.begin(), entries.end(),
            [](const auto& a, const auto& b) { return a.path().filename() < b.path().filename(); });
  return entries;
}

bool read_file(const fs::path& path, std::string& out, Walk& w) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    if (w.error.empty())
      w.error = "cannot read \"" + path.string() + "\": " + std::strerror(errno);
    return false;
  }
  std::ostringstream text;
  text << in.rdbuf();
  out = text.str();
  return true;
}

// Priority follows the first letter of the key as written (before normalisation).
Item make_item(const std::string& name, std::string value, const std::string& provider) {
  bool upper = !name.empty() && name[0] >= 'A' && name[0] <= 'Z';
  return Item{normalize_key(name), std::move(value),
              upper ? kFileTreeUpperPriority : kFileTreePriority, provider};
}

// Files of a sub-directory whose key is `base` (e.g. "bar" or "bar/barbaz").
void browse(const fs::path& dir, const std::string& base, Walk& w) {
  for (const auto& entry : sorted_entries(dir, w)) {
    if (!w.error.empty()) return;
    std::string name = entry.path().filename().string();
    std::error_code ec;
    if (entry.is_directory(ec)) {
      // Below the top level, links to directories are refused: they could loop.
      if (entry.is_symlink(ec)) {
        w.error = "\"" + entry.path().string() + "\" is a link to a directory below the top level";
        return;
      }
      browse(entry.path(), base + "/" + name, w);
      continue;
    }
    std::string content;
    if (!read_file(entry.path(), content, w)) return;
    w.items.push_back(make_item(base, content, w.provider_name));
    w.items.push_back(make_item(base + "/" + name, std::move(content), w.provider_name));
  }
}

}  // namespace

Result<std::vector<Item>> filetree_provider_items(const std::string& dir,
                                                  const std::string& provider_name) {
  std::error_code ec;
  auto fail = [&](const std::string& msg) {
    return Error::invalid_config("configuration provider \"" + provider_name + "\": " + msg,
                                 provider_name);
  };
  if (!fs::is_directory(dir, ec)) return fail("\"" + dir + "\" is not a readable directory");
  Walk w{provider_name, {}, {}};
  for (const auto& entry : sorted_entries(dir, w)) {
    if (!w.error.empty()) break;
    std::string name = entry.path().filename().string();
    if (fs::is_directory(entry.path(), ec)) {  // top level: symlinks to directories count
      browse(entry.path(), name, w);
      continue;
    }
    std::string content;
    if (!read_file(entry.path(), content, w)) break;
    w.items.push_back(make_item(name, std::move(content), provider_name));
  }
  if (!w.error.empty()) return fail(w.error);
  return std::move(w.items);
}

}  // namespace utask::config
