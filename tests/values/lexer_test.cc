#include "values/lexer.h"

#include <gtest/gtest.h>

namespace utask::values {
namespace {

std::string kinds(std::string_view text) {
  std::string out;
  for (const auto& t : lex_template(text)) {
    if (!out.empty()) out += ' ';
    switch (t.type) {
      case TokenType::text: out += "text(" + t.val + ")"; break;
      case TokenType::left_delim: out += "{{"; break;
      case TokenType::right_delim: out += "}}"; break;
      case TokenType::space: out += "_"; break;
      case TokenType::field: out += "field(" + t.val + ")"; break;
      case TokenType::identifier: out += "id(" + t.val + ")"; break;
      case TokenType::number: out += "num(" + t.val + ")"; break;
      case TokenType::string: out += "str(" + t.val + ")"; break;
      case TokenType::raw_string: out += "raw(" + t.val + ")"; break;
      case TokenType::variable: out += "var(" + t.val + ")"; break;
      case TokenType::pipe: out += "|"; break;
      case TokenType::declare: out += ":="; break;
      case TokenType::assign: out += "="; break;
      case TokenType::left_paren: out += "("; break;
      case TokenType::right_paren: out += ")"; break;
      case TokenType::dot: out += "."; break;
      case TokenType::eof: out += "EOF"; break;
      case TokenType::error: out += "error(" + t.val + ")"; break;
      case TokenType::boolean: out += "bool(" + t.val + ")"; break;
      case TokenType::char_constant: out += "char(" + t.val + ")"; break;
      case TokenType::char_: out += "c(" + t.val + ")"; break;
      default: out += "<" + t.val + ">"; break;
    }
  }
  return out;
}

struct LexCase {
  const char* text;
  const char* tokens;
};

const LexCase kAccepted[] = {
    {"", "EOF"},
    {"hello", "text(hello) EOF"},
    {"a{{.b}}c", "text(a) {{ field(.b) }} text(c) EOF"},
    {"{{ .a.b }}", "{{ _ field(.a) field(.b) _ }} EOF"},
    {"{{ $x := 1 }}", "{{ _ var($x) _ := _ num(1) _ }} EOF"},
    {"{{ $ }}", "{{ _ var($) _ }} EOF"},
    {"{{ x | y }}", "{{ _ id(x) _ | _ id(y) _ }} EOF"},
    {"{{ \"s\" `r` 'c' }}", "{{ _ str(\"s\") _ raw(`r`) _ char('c') _ }} EOF"},
    {"{{ if true }}{{ end }}", "{{ _ <if> _ bool(true) _ }} {{ _ <end> _ }} EOF"},
    {"{{ (1) }}", "{{ _ ( num(1) ) _ }} EOF"},
    {"{{ -1 }}", "{{ _ num(-1) _ }} EOF"},
    {"{{ 0x1F 1e3 .5 }}", "{{ _ num(0x1F) _ num(1e3) _ num(.5) _ }} EOF"},
    {"a  {{- 1 -}}  b", "text(a) {{ num(1) }} text(b) EOF"},
    {"a {{/* c */}} b", "text(a ) text( b) EOF"},
    {"{{ . }}", "{{ _ . _ }} EOF"},
    {"{{ , }}", "{{ _ c(,) _ }} EOF"},
};

const LexCase kRejected[] = {
    {"{{ 1", "{{ _ num(1) error(unclosed action)"},
    {"{{ \"abc }}", "{{ _ error(unterminated quoted string)"},
    {"{{ `abc", "{{ _ error(unterminated raw quoted string)"},
    {"{{ 'a }}", "{{ _ error(unterminated character constant)"},
    {"{{/* x", "error(unclosed comment)"},
    {"{{/* x */ 1 }}", "error(comment ends before closing delimiter)"},
    {"{{ 1a }}", "{{ _ error(bad number syntax: \"1a\")"},
    {"{{ ☃ }}", "{{ _ error(unrecognized character in action: U+2603 '☃')"},
    {"{{ ) }}", "{{ _ ) error(unexpected right paren U+0029 ')')"},
    {"{{ ( }}", "{{ _ ( _ error(unclosed left paren)"},
    {"{{ : }}", "{{ _ error(expected :=)"},
};

TEST(Lexer, AcceptedInputs) {
  for (const auto& c : kAccepted) EXPECT_EQ(kinds(c.text), c.tokens) << c.text;
}

TEST(Lexer, RejectedInputsEndWithAnError) {
  for (const auto& c : kRejected) EXPECT_EQ(kinds(c.text), c.tokens) << c.text;
}

TEST(Lexer, TracksLines) {
  auto toks = lex_template("a\nb{{\n.x }}");
  ASSERT_GE(toks.size(), 4u);
  EXPECT_EQ(toks[0].line, 1);  // text
  EXPECT_EQ(toks[1].line, 2);  // {{
  EXPECT_EQ(toks[3].line, 3);  // .x after the newline
}

TEST(Lexer, TokenStringsAsGoPrintsThem) {
  EXPECT_EQ(token_string(Token{TokenType::eof, 0, "", 1}), "EOF");
  EXPECT_EQ(token_string(Token{TokenType::end, 0, "end", 1}), "<end>");
  EXPECT_EQ(token_string(Token{TokenType::string, 0, "\"x\"", 1}), "\"\\\"x\\\"\"");
  EXPECT_EQ(token_string(Token{TokenType::text, 0, "0123456789abc", 1}), "\"0123456789\"...");
}

}  // namespace
}  // namespace utask::values
