#pragma once
// The versions of the libraries this binary runs with, for `utask version` and bug reports.

#include <string>
#include <utility>
#include <vector>

namespace utask::cli {

std::vector<std::pair<std::string, std::string>> library_versions();

}  // namespace utask::cli
