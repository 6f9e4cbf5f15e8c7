#pragma once
// Go's regexp package over RE2 (the same syntax and leftmost-first semantics): compile errors
// worded as Go's, and Go's iteration rules for FindAll, ReplaceAll (with Expand's $name) and
// Split. Compiled patterns are cached.

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "model/error.h"

namespace utask::values::fn {

class GoRegexp;
using RegexpPtr = std::shared_ptr<const GoRegexp>;

// regexp.Compile; the error is Go's "error parsing regexp: <code>: `<fragment>`".
Result<RegexpPtr> compile_regexp(std::string_view pattern);
// regexp.MustCompile's panic text for a pattern that does not compile.
std::string must_compile_message(std::string_view pattern, const Error& error);

bool regexp_match(const GoRegexp& re, std::string_view s);
std::string regexp_find(const GoRegexp& re, std::string_view s);
// FindStringSubmatch: every group of the first match ("" for a group that did not take part).
std::optional<std::vector<std::string>> regexp_find_submatch(const GoRegexp& re, std::string_view s);
std::vector<std::string> regexp_find_all(const GoRegexp& re, std::string_view s, long n);
std::string regexp_replace_all(const GoRegexp& re, std::string_view s, std::string_view repl, bool literal);
std::vector<std::string> regexp_split(const GoRegexp& re, std::string_view s, long n);
std::string regexp_quote_meta(std::string_view s);

}  // namespace utask::values::fn
