#pragma once
// Go text/template's lexer (text/template/parse/lex.go), token for token: the parser's error
// messages quote tokens and their lines, so positions, trimming (`{{-` / `-}}`) and the order
// in which errors surface must be the same as Go's.

#include <string>
#include <string_view>
#include <vector>

namespace utask::values {

enum class TokenType {
  error,  // val holds the message
  boolean,
  char_,  // a printable ASCII character inside an action (e.g. ',')
  char_constant,
  comment,
  complex,
  assign,   // =
  declare,  // :=
  eof,
  field,  // .Name
  identifier,
  left_delim,
  left_paren,
  number,
  pipe,
  raw_string,
  right_delim,
  right_paren,
  space,
  string,
  text,
  variable,  // $name or $
  // keywords (Go: > itemKeyword)
  keyword_,  // marker
  block,
  break_,
  continue_,
  dot,
  define,
  else_,
  end,
  if_,
  nil,
  range,
  template_,
  with,
};

struct Token {
  TokenType type = TokenType::error;
  size_t pos = 0;
  std::string val;
  int line = 0;
};

// Go's item.String(): "EOF", the error text, `<keyword>`, or the quoted value (cut at 10).
std::string token_string(const Token& t);

// All tokens up to and including EOF or the first error token.
std::vector<Token> lex_template(std::string_view input);

}  // namespace utask::values
