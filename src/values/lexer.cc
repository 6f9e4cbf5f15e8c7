#include "values/lexer.h"

#include <map>

#include "values/functions/go_unicode.h"
#include "values/go_format.h"

namespace utask::values {
namespace {

constexpr std::string_view kLeftDelim = "{{";
constexpr std::string_view kRightDelim = "}}";
constexpr std::string_view kLeftComment = "/*";
constexpr std::string_view kRightComment = "*/";
constexpr char32_t kEof = static_cast<char32_t>(-1);
constexpr size_t kTrimMarkerLen = 2;

bool is_space(char32_t r) { return r == ' ' || r == '\t' || r == '\r' || r == '\n'; }
bool is_alpha_numeric(char32_t r) { return r == '_' || fn::is_letter(r) || fn::is_digit(r); }
bool has_left_trim_marker(std::string_view s) { return s.size() >= 2 && s[0] == '-' && is_space(s[1]); }
bool has_right_trim_marker(std::string_view s) { return s.size() >= 2 && is_space(s[0]) && s[1] == '-'; }
bool has_prefix(std::string_view s, std::string_view p) { return s.substr(0, p.size()) == p; }

const std::map<std::string_view, TokenType>& keywords() {
  static const auto* k = new std::map<std::string_view, TokenType>{
      {".", TokenType::dot},         {"block", TokenType::block},   {"break", TokenType::break_},
      {"continue", TokenType::continue_}, {"define", TokenType::define}, {"else", TokenType::else_},
      {"end", TokenType::end},       {"if", TokenType::if_},        {"range", TokenType::range},
      {"nil", TokenType::nil},       {"template", TokenType::template_}, {"with", TokenType::with},
  };
  return *k;
}

// %#U of a rune: U+0041 'A'.
std::string sharp_u(char32_t r) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "U+%04X", static_cast<unsigned>(r));
  std::string out = buf;
  if (r <= 0x10FFFF && fn::is_print(r)) {
    out += " '";
    fn::append_rune(out, r);
    out += "'";
  }
  return out;
}

class Lexer {
 public:
  explicit Lexer(std::string_view input) : input_(input) {}

 private:
  std::string_view input_;
  size_t pos_ = 0;
  size_t start_ = 0;
  bool at_eof_ = false;
  int paren_depth_ = 0;
  int line_ = 1;
  int start_line_ = 1;
  std::vector<Token> items_;

  char32_t next() {
    if (pos_ >= input_.size()) {
      at_eof_ = true;
      return kEof;
    }
    auto [r, w] = fn::decode_rune(input_.substr(pos_));
    pos_ += w;
    if (r == '\n') line_++;
    return r;
  }
  char32_t peek() {
    char32_t r = next();
    backup();
    return r;
  }
  void backup() {
    if (!at_eof_ && pos_ > 0) {
      // Decode the last rune of input_[:pos_].
      size_t i = pos_ - 1;
      size_t lo = pos_ >= 4 ? pos_ - 4 : 0;
      while (i > lo && (static_cast<unsigned char>(input_[i]) & 0xC0) == 0x80) i--;
      auto [r, w] = fn::decode_rune(input_.substr(i, pos_ - i));
      size_t width = (static_cast<size_t>(w) == pos_ - i) ? w : 1;
      pos_ -= width;
      if (r == '\n' && width == 1) line_--;
    }
  }
  void emit(TokenType t) {
    items_.push_back(Token{t, start_, std::string(input_.substr(start_, pos_ - start_)), start_line_});
    start_ = pos_;
    start_line_ = line_;
  }
  void ignore() {
    line_ += count_newlines(input_.substr(start_, pos_ - start_));
    start_ = pos_;
    start_line_ = line_;
  }
  static int count_newlines(std::string_view s) {
    int n = 0;
    for (char c : s) n += c == '\n';
    return n;
  }
  bool accept(std::string_view valid) {
    char32_t r = next();
    if (r != kEof && r < 0x80 && valid.find(static_cast<char>(r)) != std::string_view::npos) return true;
    backup();
    return false;
  }
  void accept_run(std::string_view valid) {
    for (;;) {
      char32_t r = next();
      if (r == kEof || r >= 0x80 || valid.find(static_cast<char>(r)) == std::string_view::npos) break;
    }
    backup();
  }
 public:
  std::vector<Token> lex() {
    int state = kText;
    while (state != kDone) state = step(state);
    return std::move(items_);
  }

 private:
  enum { kDone, kText, kLeftDelimS, kComment, kRightDelimS, kInsideAction, kSpace, kIdentifier, kField, kVariable,
         kChar, kNumber, kQuote, kRawQuote };

  int step(int state) {
    switch (state) {
      case kText:
        return lex_text_();
      case kLeftDelimS:
        return lex_left_delim();
      case kComment:
        return lex_comment();
      case kRightDelimS:
        return lex_right_delim();
      case kInsideAction:
        return lex_inside_action();
      case kSpace:
        return lex_space();
      case kIdentifier:
        return lex_identifier();
      case kField:
        return lex_field_or_variable(TokenType::field);
      case kVariable:
        if (at_terminator()) {
          emit(TokenType::variable);
          return kInsideAction;
        }
        return lex_field_or_variable(TokenType::variable);
      case kChar:
        return lex_char();
      case kNumber:
        return lex_number();
      case kQuote:
        return lex_quote();
      case kRawQuote:
        return lex_raw_quote();
    }
    return kDone;
  }

  int fail(std::string msg) {
    items_.push_back(Token{TokenType::error, start_, std::move(msg), start_line_});
    return kDone;
  }

  static size_t right_trim_length(std::string_view s) {
    size_t n = s.size();
    while (n > 0 && is_space(static_cast<unsigned char>(s[n - 1]))) n--;
    return s.size() - n;
  }
  static size_t left_trim_length(std::string_view s) {
    size_t n = 0;
    while (n < s.size() && is_space(static_cast<unsigned char>(s[n]))) n++;
    return n;
  }

  int lex_text_() {
    size_t x = input_.find(kLeftDelim, pos_);
    if (x != std::string_view::npos) {
      size_t ldn = kLeftDelim.size();
      pos_ = x;
      size_t trim = 0;
      if (has_left_trim_marker(input_.substr(pos_ + ldn))) trim = right_trim_length(input_.substr(start_, pos_ - start_));
      pos_ -= trim;
      if (pos_ > start_) {
        line_ += count_newlines(input_.substr(start_, pos_ - start_));
        emit(TokenType::text);
      }
      pos_ += trim;
      ignore();
      return kLeftDelimS;
    }
    pos_ = input_.size();
    if (pos_ > start_) {
      line_ += count_newlines(input_.substr(start_, pos_ - start_));
      emit(TokenType::text);
    }
    emit(TokenType::eof);
    return kDone;
  }

  bool at_right_delim(bool& trim_spaces) {
    trim_spaces = false;
    if (has_right_trim_marker(input_.substr(pos_)) && has_prefix(input_.substr(pos_ + kTrimMarkerLen), kRightDelim)) {
      trim_spaces = true;
      return true;
    }
    return has_prefix(input_.substr(pos_), kRightDelim);
  }

  int lex_left_delim() {
    pos_ += kLeftDelim.size();
    bool trim = has_left_trim_marker(input_.substr(pos_));
    size_t after = trim ? kTrimMarkerLen : 0;
    if (has_prefix(input_.substr(pos_ + after), kLeftComment)) {
      pos_ += after;
      ignore();
      return kComment;
    }
    emit(TokenType::left_delim);
    pos_ += after;
    ignore();
    paren_depth_ = 0;
    return kInsideAction;
  }

  int lex_comment() {
    pos_ += kLeftComment.size();
    size_t i = input_.find(kRightComment, pos_);
    if (i == std::string_view::npos) return fail("unclosed comment");
    pos_ = i + kRightComment.size();
    bool trim = false;
    if (!at_right_delim(trim)) return fail("comment ends before closing delimiter");
    if (trim) pos_ += kTrimMarkerLen;
    pos_ += kRightDelim.size();
    if (trim) pos_ += left_trim_length(input_.substr(pos_));
    ignore();
    return kText;
  }

  int lex_right_delim() {
    bool trim = has_right_trim_marker(input_.substr(pos_));
    if (trim) {
      pos_ += kTrimMarkerLen;
      ignore();
    }
    pos_ += kRightDelim.size();
    emit(TokenType::right_delim);
    if (trim) {
      pos_ += left_trim_length(input_.substr(pos_));
      ignore();
    }
    return kText;
  }

  int lex_inside_action() {
    bool trim = false;
    if (at_right_delim(trim)) {
      if (paren_depth_ == 0) return kRightDelimS;
      return fail("unclosed left paren");
    }
    char32_t r = next();
    if (r == kEof) return fail("unclosed action");
    if (is_space(r)) {
      backup();
      return kSpace;
    }
    if (r == '=') {
      emit(TokenType::assign);
    } else if (r == ':') {
      if (next() != '=') return fail("expected :=");
      emit(TokenType::declare);
    } else if (r == '|') {
      emit(TokenType::pipe);
    } else if (r == '"') {
      return kQuote;
    } else if (r == '`') {
      return kRawQuote;
    } else if (r == '$') {
      return kVariable;
    } else if (r == '\'') {
      return kChar;
    } else if (r == '.' && pos_ < input_.size() && (input_[pos_] < '0' || input_[pos_] > '9')) {
      return kField;
    } else if (r == '.' || r == '+' || r == '-' || (r >= '0' && r <= '9')) {
      backup();
      return kNumber;
    } else if (is_alpha_numeric(r)) {
      backup();
      return kIdentifier;
    } else if (r == '(') {
      emit(TokenType::left_paren);
      paren_depth_++;
    } else if (r == ')') {
      emit(TokenType::right_paren);
      paren_depth_--;
      if (paren_depth_ < 0) return fail("unexpected right paren " + sharp_u(r));
    } else if (r <= 0x7F && r >= 0x20 && r != 0x7F) {
      emit(TokenType::char_);
    } else {
      return fail("unrecognized character in action: " + sharp_u(r));
    }
    return kInsideAction;
  }

  int lex_space() {
    int num_spaces = 0;
    for (;;) {
      char32_t r = peek();
      if (!is_space(r)) break;
      next();
      num_spaces++;
    }
    if (has_right_trim_marker(input_.substr(pos_ - 1)) &&
        has_prefix(input_.substr(pos_ - 1 + kTrimMarkerLen), kRightDelim)) {
      backup();
      if (num_spaces == 1) return kRightDelimS;
    }
    emit(TokenType::space);
    return kInsideAction;
  }

  bool at_terminator() {
    char32_t r = peek();
    if (is_space(r)) return true;
    switch (r) {
      case kEof:
      case '.':
      case ',':
      case '|':
      case ':':
      case ')':
      case '(':
        return true;
      default:
        break;
    }
    return has_prefix(input_.substr(pos_), kRightDelim);
  }

  int lex_identifier() {
    for (;;) {
      char32_t r = next();
      if (is_alpha_numeric(r)) continue;
      backup();
      std::string_view word = input_.substr(start_, pos_ - start_);
      if (!at_terminator()) return fail("bad character " + sharp_u(r));
      auto it = keywords().find(word);
      if (it != keywords().end() && it->second != TokenType::dot) {
        emit(it->second);
      } else if (word[0] == '.') {
        emit(TokenType::field);
      } else if (word == "true" || word == "false") {
        emit(TokenType::boolean);
      } else {
        emit(TokenType::identifier);
      }
      return kInsideAction;
    }
  }

  int lex_field_or_variable(TokenType typ) {
    if (at_terminator()) {
      emit(typ == TokenType::variable ? TokenType::variable : TokenType::dot);
      return kInsideAction;
    }
    char32_t r;
    for (;;) {
      r = next();
      if (!is_alpha_numeric(r)) {
        backup();
        break;
      }
    }
    if (!at_terminator()) return fail("bad character " + sharp_u(r));
    emit(typ);
    return kInsideAction;
  }

  int lex_char() {
    for (;;) {
      char32_t r = next();
      if (r == '\\') {
        char32_t e = next();
        if (e != kEof && e != '\n') continue;
        return fail("unterminated character constant");
      }
      if (r == kEof || r == '\n') return fail("unterminated character constant");
      if (r == '\'') break;
    }
    emit(TokenType::char_constant);
    return kInsideAction;
  }

  bool scan_number() {
    accept("+-");
    std::string_view digits = "0123456789_";
    if (accept("0")) {
      if (accept("xX"))
        digits = "0123456789abcdefABCDEF_";
      else if (accept("oO"))
        digits = "01234567_";
      else if (accept("bB"))
        digits = "01_";
    }
    accept_run(digits);
    if (accept(".")) accept_run(digits);
    if (digits.size() == 11 && accept("eE")) {
      accept("+-");
      accept_run("0123456789_");
    }
    if (digits.size() == 23 && accept("pP")) {
      accept("+-");
      accept_run("0123456789_");
    }
    accept("i");
    if (is_alpha_numeric(peek())) {
      next();
      return false;
    }
    return true;
  }

  int lex_number() {
    if (!scan_number()) return fail("bad number syntax: " + go_quote_string(input_.substr(start_, pos_ - start_)));
    char32_t sign = peek();
    if (sign == '+' || sign == '-') {
      if (!scan_number() || input_[pos_ - 1] != 'i')
        return fail("bad number syntax: " + go_quote_string(input_.substr(start_, pos_ - start_)));
      emit(TokenType::complex);
    } else {
      emit(TokenType::number);
    }
    return kInsideAction;
  }

  int lex_quote() {
    for (;;) {
      char32_t r = next();
      if (r == '\\') {
        char32_t e = next();
        if (e != kEof && e != '\n') continue;
        return fail("unterminated quoted string");
      }
      if (r == kEof || r == '\n') return fail("unterminated quoted string");
      if (r == '"') break;
    }
    emit(TokenType::string);
    return kInsideAction;
  }

  int lex_raw_quote() {
    for (;;) {
      char32_t r = next();
      if (r == kEof) return fail("unterminated raw quoted string");
      if (r == '`') break;
    }
    emit(TokenType::raw_string);
    return kInsideAction;
  }
};

}  // namespace

std::string token_string(const Token& t) {
  if (t.type == TokenType::eof) return "EOF";
  if (t.type == TokenType::error) return t.val;
  if (t.type > TokenType::keyword_) return "<" + t.val + ">";
  if (t.val.size() > 10) {
    // %.10q: the first ten runes, quoted.
    size_t i = 0;
    for (int n = 0; n < 10 && i < t.val.size(); n++) i += fn::decode_rune(std::string_view(t.val).substr(i)).second;
    return go_quote_string(std::string_view(t.val).substr(0, i)) + "...";
  }
  return go_quote_string(t.val);
}

std::vector<Token> lex_template(std::string_view input) { return Lexer(input).lex(); }

}  // namespace utask::values
