#pragma once
// Ports of the string algorithms sprig borrows from Go's strings package, goutils and
// xstrings, byte for byte (including their handling of non-ASCII input).

#include <string>
#include <string_view>

namespace utask::values::fn {

std::string go_trim(std::string_view s, std::string_view cutset);  // strings.Trim
std::string go_trim_space(std::string_view s);                     // strings.TrimSpace
std::string go_replace_all(std::string_view s, std::string_view old_s, std::string_view new_s);
std::string go_title(std::string_view s);  // strings.Title

std::string abbreviate_full(std::string_view s, long offset, long max_width);  // goutils
std::string delete_white_space(std::string_view s);                            // goutils
std::string initials(std::string_view s);                                      // goutils
std::string uncapitalize(std::string_view s);                                  // goutils
std::string swap_case(std::string_view s);                                     // goutils
std::string wrap_custom(std::string_view s, long width, std::string_view newline, bool long_words);

std::string to_camel_case(std::string_view s);                       // xstrings (case_words.cc)
std::string camel_to_lower(std::string_view s, char32_t connector);  // snake/kebab case

}  // namespace utask::values::fn
