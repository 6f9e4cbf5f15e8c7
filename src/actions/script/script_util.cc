#include "actions/script/script_util.h"

#include <re2/re2.h>

#include <cctype>
#include <cstdint>

namespace utask::actions::scriptutil {
namespace {

struct ExitCodeEntry {
  bool matches = false;
  uint64_t start = 0;
  std::optional<uint64_t> end;
};

bool all_digits(std::string_view s) {
  if (s.empty()) return false;
  for (char c : s) {
    if (!std::isdigit(static_cast<unsigned char>(c))) return false;
  }
  return true;
}

// `^(\d+)(?:-(\d+))?$`; numbers past 64 bits count as not matching (Go's ParseInt fails too).
ExitCodeEntry parse_entry(std::string_view value) {
  ExitCodeEntry e;
  const auto dash = value.find('-');
  const std::string_view first = value.substr(0, dash);
  if (!all_digits(first) || first.size() > 19) return e;
  e.start = std::stoull(std::string(first));
  if (dash != std::string_view::npos) {
    const std::string_view second = value.substr(dash + 1);
    if (!all_digits(second) || second.size() > 19) return e;
    e.end = std::stoull(std::string(second));
  }
  e.matches = true;
  return e;
}

std::string trim(std::string_view s) {
  size_t b = 0, e = s.size();
  while (b < e && std::isspace(static_cast<unsigned char>(s[b]))) ++b;
  while (e > b && std::isspace(static_cast<unsigned char>(s[e - 1]))) --e;
  return std::string(s.substr(b, e - b));
}

// Text after the last '\n' (trimmed) and that newline's index; the whole text when none.
std::pair<std::string, size_t> last_line(std::string_view s) {
  const size_t at = s.rfind('\n');
  if (at == std::string_view::npos) return {std::string(s), at};
  return {trim(s.substr(at)), at};
}

std::string delimiters_pattern(const std::vector<std::string>& d) {
  return "(?s)^.*" + d[0] + "(.*)" + d[1] + ".*$";
}

}  // namespace

Result<void> validate_exit_codes(const std::vector<std::string>& exit_codes) {
  for (const auto& value : exit_codes) {
    const ExitCodeEntry e = parse_entry(value);
    if (!e.matches) {
      return Error::invalid_template("invalid value \"" + value +
                                     "\" for exit_codes_unrecoverable, should be an integer, or a "
                                     "range of integer (e.g: 123, or 120-130)");
    }
    if (e.end) {
      if (*e.end <= e.start) {
        return Error::invalid_template("exit_codes_unrecoverable value \"" + value +
                                       "\" should have end exit_code superior to start exit_code");
      }
      if (e.start == 0) {
        return Error::invalid_template("exit_codes_unrecoverable cannot map exit code 0 (non-sense)");
      }
    }
  }
  return {};
}

ActionError exit_code_error(int code, const std::vector<std::string>& exit_codes,
                            std::string_view cause) {
  const std::string text = "exit code: " + std::to_string(code);
  for (const auto& value : exit_codes) {
    const ExitCodeEntry e = parse_entry(value);
    if (!e.matches || code < 0) continue;
    const auto c = static_cast<uint64_t>(code);
    const bool listed = e.end ? (e.start <= c && c <= *e.end) : e.start == c;
    if (listed) {
      std::string message = "Client error: " + text;
      if (!cause.empty()) message += ": " + std::string(cause);
      return {ErrorKind::client, std::move(message)};
    }
  }
  return {ErrorKind::server, text};
}

Result<void> validate_delimiters(const std::vector<std::string>& delimiters) {
  if (delimiters.size() != 2) {
    return Error::invalid_template("wrong number of output_manual_delimiters, 2 expected, found " +
                                   std::to_string(delimiters.size()));
  }
  RE2 re(delimiters_pattern(delimiters), RE2::Quiet);
  if (!re.ok()) {
    return Error::invalid_template("unable to compile output_manual_delimiters regexp: " + re.error());
  }
  return {};
}

std::string select_result(std::string_view output, std::string_view mode,
                          const std::vector<std::string>& delimiters) {
  if (mode == kModeManualDelimiters) {
    if (delimiters.size() != 2) return "";
    RE2 re(delimiters_pattern(delimiters), RE2::Quiet);
    std::string captured;
    if (re.ok() && RE2::FullMatch(output, re, &captured)) return captured;
    return "";
  }
  if (mode == kModeManualLastLine || mode == kModeAutoResult) {
    auto [line, at] = last_line(output);
    // Most programs end their output with a newline: then the line before it counts.
    if (line.empty() && at != std::string_view::npos) line = last_line(output.substr(0, at)).first;
    return line;
  }
  return "";
}

Result<Json> parse_result(std::string_view text) {
  if (text.empty()) return Json::object();
  auto parsed = parse_json(text);
  if (!parsed) return Error::invalid_input(parsed.error().message);
  if (parsed->is_null()) return Json();  // Go decodes `null` into a nil map
  if (!parsed->is_object()) {
    return Error::invalid_input("json: cannot unmarshal " +
                                std::string(parsed->is_array()     ? "array"
                                            : parsed->is_string()  ? "string"
                                            : parsed->is_number()  ? "number"
                                                                   : "bool") +
                                " into Go value of type map[string]interface {}");
  }
  return std::move(*parsed);
}

}  // namespace utask::actions::scriptutil
