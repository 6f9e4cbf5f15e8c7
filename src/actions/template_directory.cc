#include "actions/template_directory.h"

#include <cctype>
#include <mutex>

namespace utask::actions {
namespace {

std::string normalise(const std::string& name) {
  size_t b = 0, e = name.size();
  while (b < e && std::isspace(static_cast<unsigned char>(name[b]))) ++b;
  while (e > b && std::isspace(static_cast<unsigned char>(name[e - 1]))) --e;
  std::string out = name.substr(b, e - b);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

}  // namespace

void TemplateDirectory::set(TemplateExists exists) {
  std::unique_lock lock(mu_);
  exists_ = std::move(exists);
}

std::optional<Result<bool>> TemplateDirectory::exists(const std::string& name) const {
  std::shared_lock lock(mu_);
  if (!exists_) return std::nullopt;
  return exists_(normalise(name));
}

Result<void> check_template_exists(const TemplateDirectory* directory, const std::string& name,
                                   const std::string& what) {
  if (!directory || name.find("{{") != std::string::npos) return {};
  auto found = directory->exists(name);
  if (!found) return {};
  if (!*found) return Error::internal("can't load template from name: " + found->error().message);
  if (!**found) return Error::not_found(what + " template \"" + name + "\" not found");
  return {};
}

}  // namespace utask::actions
