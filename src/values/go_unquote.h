#pragma once
// strconv.Unquote and strconv.UnquoteChar: string, raw string and character literals of
// templates, with Go's escapes (\a \b \f \n \r \t \v \\ \' \" \xNN \NNN \uNNNN \UNNNNNNNN).
// Failures carry Go's message, "invalid syntax".

#include <string>
#include <string_view>
#include <utility>

#include "model/error.h"

namespace utask::values {

Result<std::string> go_unquote(std::string_view quoted);
// One (possibly escaped) character at the start of s; quote is the enclosing quote character.
// Returns the rune and the rest of s.
Result<std::pair<char32_t, std::string>> go_unquote_char(std::string_view s, char quote);

// strconv's underscoreOK, shared by number literals and number conversions: underscores only
// between digits, or right after a base prefix (0b, 0o, 0x).
bool go_underscore_ok(std::string_view s);

}  // namespace utask::values
