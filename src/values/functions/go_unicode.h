#pragma once
// Go's view of text: UTF-8 decoding as `for range` does it (an invalid byte is U+FFFD of width
// 1) and the unicode package's classes and simple case mappings (backed by ICU).

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>

namespace utask::values::fn {

constexpr char32_t kRuneError = 0xFFFD;

// The rune at the start of s and its width in bytes (s must not be empty).
std::pair<char32_t, int> decode_rune(std::string_view s);
// UTF-8 of r; surrogates and values past U+10FFFF become U+FFFD (as Go's WriteRune).
void append_rune(std::string& out, char32_t r);
std::u32string to_runes(std::string_view s);
std::string from_runes(const std::u32string& runes);
size_t rune_count(std::string_view s);

bool is_space(char32_t r);   // unicode.IsSpace
bool is_upper(char32_t r);   // Lu
bool is_lower(char32_t r);   // Ll
bool is_title(char32_t r);   // Lt
bool is_letter(char32_t r);  // L
bool is_digit(char32_t r);   // Nd
bool is_number(char32_t r);  // N
bool is_punct(char32_t r);   // P
bool is_print(char32_t r);   // strconv.IsPrint: L, M, N, P, S and U+0020

char32_t to_upper(char32_t r);
char32_t to_lower(char32_t r);
char32_t to_title(char32_t r);

std::string to_upper(std::string_view s);  // strings.ToUpper
std::string to_lower(std::string_view s);  // strings.ToLower

}  // namespace utask::values::fn
