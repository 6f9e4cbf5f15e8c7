#pragma once
// What `script` (and later `ssh`) share (actions.md §10): the output modes that pick the
// result text out of a process's output, the JSON object parsed from it, and
// `exit_codes_unrecoverable`, which turns listed exit codes into client errors.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "actions/action.h"
#include "model/error.h"
#include "model/json.h"

namespace utask::actions::scriptutil {

inline constexpr std::string_view kModeAutoResult = "auto-result";
inline constexpr std::string_view kModeDisabled = "disabled";
inline constexpr std::string_view kModeManualDelimiters = "manual-delimiters";
inline constexpr std::string_view kModeManualLastLine = "manual-lastline";

// Each entry is `N` or a range `A-B` with B > A and A ≠ 0. Messages are the original's:
// `invalid value "<v>" for exit_codes_unrecoverable, should be an integer, or a range of
// integer (e.g: 123, or 120-130)`, `exit_codes_unrecoverable value "<v>" should have end
// exit_code superior to start exit_code`, `exit_codes_unrecoverable cannot map exit code 0
// (non-sense)`.
Result<void> validate_exit_codes(const std::vector<std::string>& exit_codes);

// The error of a non-zero exit: client `Client error: exit code: <n>: <cause>` when `code`
// is listed (single or inclusive range), else server `exit code: <n>`. `cause` is the
// process error text ("exit status 3"); entries are assumed validated.
ActionError exit_code_error(int code, const std::vector<std::string>& exit_codes,
                            std::string_view cause);

// Delimiters for manual-delimiters: exactly two RE2 fragments that compile as
// `(?s)^.*<START>(.*)<END>.*$`. Messages: `wrong number of output_manual_delimiters, 2
// expected, found <n>`, `unable to compile output_manual_delimiters regexp: <e>`.
Result<void> validate_delimiters(const std::vector<std::string>& delimiters);

// The result text of `output` for a mode: last line (manual-lastline / auto-result), the
// capture between the delimiters (empty when none), or "" (disabled, unknown modes).
std::string select_result(std::string_view output, std::string_view mode,
                          const std::vector<std::string>& delimiters);

// The output object: {} for an empty text, else the JSON object the text holds; another JSON
// value or malformed text is an error (the parser's message).
Result<Json> parse_result(std::string_view text);

}  // namespace utask::actions::scriptutil
