#include "values/functions/go_regexp.h"

#include <re2/re2.h>

#include <list>
#include <map>
#include <mutex>

#include "values/functions/go_unicode.h"
#include "values/functions/support.h"

namespace utask::values::fn {

// The text a regexp runs on. Go reads each invalid UTF-8 byte as U+FFFD, which `.` and negated
// classes match; RE2 matches no invalid byte. Such a text is searched in a copy where each
// invalid byte became U+FFFD, positions being mapped back to the original.
class Subject {
 public:
  explicit Subject(std::string_view s) : text_(s) {
    bool valid = true;
    for (std::string_view rest = s; !rest.empty();) {
      auto [r, n] = decode_rune(rest);
      if (r == kRuneError && n == 1) {
        valid = false;
        break;
      }
      rest.remove_prefix(size_t(n));
    }
    if (valid) return;
    to_fixed_.reserve(s.size() + 1);
    for (size_t i = 0; i < s.size();) {
      auto [r, n] = decode_rune(s.substr(i));
      if (r == kRuneError && n == 1) {
        to_fixed_.push_back(fixed_.size());
        for (int k = 0; k < 3; ++k) to_original_.push_back(long(i));
        append_rune(fixed_, kRuneError);
        ++i;
        continue;
      }
      for (int k = 0; k < n; ++k) {
        to_fixed_.push_back(fixed_.size());
        to_original_.push_back(long(i + size_t(k)));
        fixed_ += s[i + size_t(k)];
      }
      i += size_t(n);
    }
    to_fixed_.push_back(fixed_.size());
    to_original_.push_back(long(s.size()));
    mapped_ = true;
  }

  std::string_view text() const { return text_; }
  std::string_view searched() const { return mapped_ ? std::string_view(fixed_) : text_; }
  size_t to_searched(size_t pos) const { return mapped_ ? to_fixed_[pos] : pos; }
  long to_original(long pos) const { return mapped_ && pos >= 0 ? to_original_[size_t(pos)] : pos; }

 private:
  std::string_view text_;
  bool mapped_ = false;
  std::string fixed_;
  std::vector<size_t> to_fixed_;
  std::vector<long> to_original_;
};

class GoRegexp {
 public:
  explicit GoRegexp(std::string_view pattern) : re_(pattern, options()) {
    for (const auto& [name, index] : re_.NamedCapturingGroups()) names_[index] = name;
  }
  const RE2& re() const { return re_; }
  int groups() const { return re_.NumberOfCapturingGroups() + 1; }
  const std::map<int, std::string>& names() const { return names_; }

  // Match positions (pairs of byte offsets, -1 when a group did not take part) of the
  // leftmost-first match at or after pos, searching with the whole of s as context.
  bool execute(const Subject& subject, size_t pos, std::vector<long>& m) const {
    std::string_view s = subject.searched();
    std::vector<re2::StringPiece> sub(static_cast<size_t>(groups()));
    if (!re_.Match(re2::StringPiece(s.data(), s.size()), subject.to_searched(pos), s.size(), RE2::UNANCHORED,
                   sub.data(), int(sub.size()))) {
      return false;
    }
    m.assign(sub.size() * 2, -1);
    for (size_t i = 0; i < sub.size(); ++i) {
      if (sub[i].data() == nullptr) continue;
      long begin = long(sub[i].data() - s.data());
      m[2 * i] = subject.to_original(begin);
      m[2 * i + 1] = subject.to_original(begin + long(sub[i].size()));
    }
    return true;
  }

 private:
  static RE2::Options options() {
    RE2::Options o;
    o.set_log_errors(false);
    o.set_max_mem(64 << 20);
    return o;
  }
  RE2 re_;
  std::map<int, std::string> names_;
};

namespace {

const char* go_error_code(RE2::ErrorCode code) {
  switch (code) {
    case RE2::ErrorBadEscape: return "invalid escape sequence";
    case RE2::ErrorBadCharClass: return "invalid character class";
    case RE2::ErrorBadCharRange: return "invalid character class range";
    case RE2::ErrorMissingBracket: return "missing closing ]";
    case RE2::ErrorMissingParen: return "missing closing )";
    case RE2::ErrorUnexpectedParen: return "unexpected )";
    case RE2::ErrorTrailingBackslash: return "trailing backslash at end of expression";
    case RE2::ErrorRepeatArgument: return "missing argument to repetition operator";
    case RE2::ErrorRepeatSize: return "invalid repeat count";
    case RE2::ErrorRepeatOp: return "invalid nested repetition operator";
    case RE2::ErrorBadPerlOp: return "invalid or unsupported Perl syntax";
    case RE2::ErrorBadUTF8: return "invalid UTF-8";
    case RE2::ErrorBadNamedCapture: return "invalid named capture";
    case RE2::ErrorPatternTooLarge: return "expression too large";
    default: return "regexp/syntax: internal error";
  }
}

// regexp's quote(): backquoted when possible.
std::string re_quote(std::string_view s) {
  bool can_backquote = true;
  std::string_view rest = s;
  while (!rest.empty()) {
    auto [r, n] = decode_rune(rest);
    if ((r == kRuneError && n == 1) || r == '`' || r == 0xFEFF || (r < ' ' && r != '\t') || r == 0x7F) {
      can_backquote = false;
      break;
    }
    rest.remove_prefix(size_t(n));
  }
  if (can_backquote) return "`" + std::string(s) + "`";
  return go_quote(s);
}

class Cache {
 public:
  RegexpPtr get(std::string_view pattern) {
    std::lock_guard<std::mutex> lock(mu_);
    auto it = map_.find(pattern);
    if (it == map_.end()) return nullptr;
    return it->second;
  }
  void put(std::string_view pattern, RegexpPtr re) {
    std::lock_guard<std::mutex> lock(mu_);
    if (map_.size() >= 512) map_.clear();
    map_.emplace(std::string(pattern), std::move(re));
  }

 private:
  std::mutex mu_;
  std::map<std::string, RegexpPtr, std::less<>> map_;
};

Cache& cache() {
  static Cache* c = new Cache();
  return *c;
}

// Go's allMatches: successive non-overlapping matches, no empty match right after a match.
template <class F>
void all_matches(const GoRegexp& re, std::string_view s, long n, F deliver) {
  const Subject subject(s);
  if (n < 0) n = long(s.size()) + 1;
  std::vector<long> m;
  long prev_end = -1;
  size_t pos = 0;
  for (long i = 0; i < n && pos <= s.size();) {
    if (!re.execute(subject, pos, m)) break;
    bool accept = true;
    if (m[1] == long(pos)) {
      if (m[0] == prev_end) accept = false;
      if (pos < s.size()) {
        pos += size_t(decode_rune(s.substr(pos)).second);
      } else {
        pos = s.size() + 1;
      }
    } else {
      pos = size_t(m[1]);
    }
    prev_end = m[1];
    if (accept) {
      deliver(m);
      ++i;
    }
  }
}

// Go's Expand of a replacement template ($1, ${1}, $name, ${name}, $$).
void expand(std::string& dst, std::string_view tmpl, const GoRegexp& re, std::string_view src,
            const std::vector<long>& m) {
  while (!tmpl.empty()) {
    size_t dollar = tmpl.find('$');
    if (dollar == std::string_view::npos) break;
    dst += tmpl.substr(0, dollar);
    tmpl.remove_prefix(dollar + 1);
    if (!tmpl.empty() && tmpl[0] == '$') {
      dst += '$';
      tmpl.remove_prefix(1);
      continue;
    }
    // extract
    std::string_view str = tmpl;
    bool brace = false;
    if (!str.empty() && str[0] == '{') {
      brace = true;
      str.remove_prefix(1);
    }
    size_t i = 0;
    while (i < str.size()) {
      auto [r, sz] = decode_rune(str.substr(i));
      if (!is_letter(r) && !is_digit(r) && r != '_') break;
      i += size_t(sz);
    }
    bool ok = i > 0;
    std::string_view name = str.substr(0, i);
    if (ok && brace) {
      if (i >= str.size() || str[i] != '}') {
        ok = false;
      } else {
        ++i;
      }
    }
    if (!ok) {
      dst += '$';
      continue;
    }
    tmpl = str.substr(i);
    long num = 0;
    for (char c : name) {
      if (c < '0' || c > '9' || num >= 100000000) {
        num = -1;
        break;
      }
      num = num * 10 + (c - '0');
    }
    if (name[0] == '0' && name.size() > 1) num = -1;
    if (num >= 0) {
      if (2 * num + 1 < long(m.size()) && m[size_t(2 * num)] >= 0) {
        dst += src.substr(size_t(m[size_t(2 * num)]), size_t(m[size_t(2 * num + 1)] - m[size_t(2 * num)]));
      }
    } else {
      for (const auto& [index, group] : re.names()) {
        if (group == name && 2 * index + 1 < int(m.size()) && m[size_t(2 * index)] >= 0) {
          dst += src.substr(size_t(m[size_t(2 * index)]), size_t(m[size_t(2 * index + 1)] - m[size_t(2 * index)]));
          break;
        }
      }
    }
  }
  dst += tmpl;
}

}  // namespace

Result<RegexpPtr> compile_regexp(std::string_view pattern) {
  if (RegexpPtr hit = cache().get(pattern)) return hit;
  auto re = std::make_shared<GoRegexp>(pattern);
  if (!re->re().ok()) {
    return call_error(std::string("error parsing regexp: ") + go_error_code(re->re().error_code()) + ": `" +
                      re->re().error_arg() + "`");
  }
  cache().put(pattern, re);
  return RegexpPtr(re);
}

std::string must_compile_message(std::string_view pattern, const Error& error) {
  return "regexp: Compile(" + re_quote(pattern) + "): " + error.message;
}

bool regexp_match(const GoRegexp& re, std::string_view s) {
  const Subject subject(s);
  std::string_view text = subject.searched();
  return RE2::PartialMatch(re2::StringPiece(text.data(), text.size()), re.re());
}

std::string regexp_find(const GoRegexp& re, std::string_view s) {
  std::vector<long> m;
  if (!re.execute(Subject(s), 0, m)) return "";
  return std::string(s.substr(size_t(m[0]), size_t(m[1] - m[0])));
}

std::optional<std::vector<std::string>> regexp_find_submatch(const GoRegexp& re, std::string_view s) {
  std::vector<long> m;
  if (!re.execute(Subject(s), 0, m)) return std::nullopt;
  std::vector<std::string> out;
  for (size_t i = 0; i + 1 < m.size(); i += 2) {
    out.push_back(m[i] < 0 ? std::string() : std::string(s.substr(size_t(m[i]), size_t(m[i + 1] - m[i]))));
  }
  return out;
}

std::vector<std::string> regexp_find_all(const GoRegexp& re, std::string_view s, long n) {
  std::vector<std::string> out;
  if (n == 0) return out;
  all_matches(re, s, n,
              [&](const std::vector<long>& m) { out.emplace_back(s.substr(size_t(m[0]), size_t(m[1] - m[0]))); });
  return out;
}

std::string regexp_replace_all(const GoRegexp& re, std::string_view src, std::string_view repl, bool literal) {
  std::string buf;
  size_t last_end = 0, search = 0;
  std::vector<long> a;
  const Subject subject(src);
  while (search <= src.size()) {
    if (!re.execute(subject, search, a)) break;
    buf += src.substr(last_end, size_t(a[0]) - last_end);
    if (size_t(a[1]) > last_end || a[0] == 0) {
      if (literal) {
        buf += repl;
      } else {
        expand(buf, repl, re, src, a);
      }
    }
    last_end = size_t(a[1]);
    size_t width = search < src.size() ? size_t(decode_rune(src.substr(search)).second) : 0;
    if (search + width > size_t(a[1])) {
      search += width;
    } else if (search + 1 > size_t(a[1])) {
      ++search;
    } else {
      search = size_t(a[1]);
    }
  }
  buf += src.substr(last_end);
  return buf;
}

std::vector<std::string> regexp_split(const GoRegexp& re, std::string_view s, long n) {
  std::vector<std::string> out;
  if (n == 0) return out;
  if (!re.re().pattern().empty() && s.empty()) return {""};
  std::vector<std::pair<long, long>> matches;
  all_matches(re, s, n, [&](const std::vector<long>& m) { matches.push_back({m[0], m[1]}); });
  long beg = 0, end = 0;
  for (const auto& [a, b] : matches) {
    if (n > 0 && long(out.size()) == n - 1) break;
    end = a;
    if (b != 0) out.emplace_back(s.substr(size_t(beg), size_t(end - beg)));
    beg = b;
  }
  if (end != long(s.size())) out.emplace_back(s.substr(size_t(beg)));
  return out;
}

std::string regexp_quote_meta(std::string_view s) {
  static const std::string_view special = "\\.+*?()|[]{}^$";
  std::string out;
  for (char c : s) {
    if (special.find(c) != std::string_view::npos) out += '\\';
    out += c;
  }
  return out;
}

}  // namespace utask::values::fn
