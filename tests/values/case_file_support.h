#pragma once
// Reader of the rendering cases in tests/values/cases/*.test (format: cases/README.md).

#include <optional>
#include <string>
#include <vector>

#include "model/error.h"

namespace utask::values::testing {

struct RenderCase {
  std::string file;
  int line = 0;  // of the `case` line
  std::string name;
  std::string data = "{}";
  std::string tmpl;
  std::optional<std::string> expect;
  std::optional<std::string> error;  // expected substring
  bool differs = false;
  bool nondeterministic = false;
};

Result<std::vector<RenderCase>> parse_case_file(const std::string& path);
Result<std::vector<RenderCase>> parse_case_text(const std::string& text, const std::string& file);

// Every *.test file under dir, sorted.
std::vector<std::string> case_files(const std::string& dir);

// Go's encoding/json replaces each invalid UTF-8 byte of a string by U+FFFD; outputs are
// compared after the same replacement.
std::string go_json_sanitize(const std::string& s);

}  // namespace utask::values::testing
