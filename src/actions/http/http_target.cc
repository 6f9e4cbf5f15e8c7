#include "actions/http/http_target.h"

#include <algorithm>
#include <cctype>

#include "model/json.h"

namespace utask::actions {
namespace {

struct UrlParts {
  std::string prefix;  // scheme://authority, or "" when there is no "//"
  std::string path;
  std::string query;  // without '?'
};

// RFC 3986 appendix B, enough for splitting: [scheme:][//authority]path[?query][#fragment].
UrlParts split_url(std::string_view url) {
  UrlParts parts;
  if (auto hash = url.find('#'); hash != std::string_view::npos) url = url.substr(0, hash);
  if (auto q = url.find('?'); q != std::string_view::npos) {
    parts.query = std::string(url.substr(q + 1));
    url = url.substr(0, q);
  }
  size_t rest = 0;
  auto colon = url.find(':');
  const bool has_scheme = colon != std::string_view::npos && colon > 0 &&
                          url.substr(0, colon).find('/') == std::string_view::npos;
  if (has_scheme) rest = colon + 1;
  if (url.substr(rest, 2) == "//") {
    auto slash = url.find('/', rest + 2);
    rest = slash == std::string_view::npos ? url.size() : slash;
    parts.prefix = std::string(url.substr(0, rest));
  } else if (has_scheme) {
    parts.prefix = std::string(url.substr(0, rest));
  }
  parts.path = std::string(url.substr(rest));
  return parts;
}

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

std::optional<std::string> query_unescape(std::string_view s) {
  std::string out;
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '+') {
      out += ' ';
    } else if (s[i] == '%') {
      if (i + 2 >= s.size()) return std::nullopt;
      int hi = hex_value(s[i + 1]), lo = hex_value(s[i + 2]);
      if (hi < 0 || lo < 0) return std::nullopt;
      out += static_cast<char>(hi * 16 + lo);
      i += 2;
    } else {
      out += s[i];
    }
  }
  return out;
}

QueryParameters parse_query(std::string_view query) {
  QueryParameters out;
  while (!query.empty()) {
    auto amp = query.find('&');
    std::string_view pair = query.substr(0, amp);
    query = amp == std::string_view::npos ? std::string_view() : query.substr(amp + 1);
    if (pair.empty() || pair.find(';') != std::string_view::npos) continue;
    auto eq = pair.find('=');
    auto key = query_unescape(pair.substr(0, eq));
    auto value = query_unescape(eq == std::string_view::npos ? std::string_view() : pair.substr(eq + 1));
    if (!key || !value) continue;
    out.emplace_back(std::move(*key), std::move(*value));
  }
  return out;
}

// A minimal XML reader: does `body` hold a first element that is well formed up to its end
// tag? Text, comments, processing instructions and directives may precede it.
class XmlCheck {
 public:
  explicit XmlCheck(std::string_view s) : s_(s) {}

  bool first_element_is_well_formed() {
    std::vector<std::string> open;
    while (pos_ < s_.size()) {
      if (s_[pos_] != '<') {
        if (!text()) return false;
        continue;
      }
      if (starts("<?")) {
        if (!skip_past("?>")) return false;
      } else if (starts("<!--")) {
        if (!skip_past("-->")) return false;
      } else if (starts("<![CDATA[")) {
        if (open.empty() || !skip_past("]]>")) return false;
      } else if (starts("<!")) {
        if (!skip_past(">")) return false;
      } else if (starts("</")) {
        pos_ += 2;
        std::string name = read_name();
        skip_space();
        if (name.empty() || open.empty() || open.back() != name || !eat('>')) return false;
        open.pop_back();
        if (open.empty()) return true;
      } else {
        ++pos_;
        std::string name = read_name();
        if (name.empty()) return false;
        bool self_closing = false;
        if (!attributes(self_closing)) return false;
        if (self_closing) {
          if (open.empty()) return true;
        } else {
          open.push_back(name);
        }
      }
    }
    return false;
  }

 private:
  bool starts(std::string_view p) const { return s_.substr(pos_, p.size()) == p; }
  bool eat(char c) {
    if (pos_ < s_.size() && s_[pos_] == c) return ++pos_, true;
    return false;
  }
  bool skip_past(std::string_view end) {
    auto at = s_.find(end, pos_);
    if (at == std::string_view::npos) return false;
    pos_ = at + end.size();
    return true;
  }
  void skip_space() {
    while (pos_ < s_.size() && std::isspace(static_cast<unsigned char>(s_[pos_]))) ++pos_;
  }
  static bool name_char(char c, bool first) {
    const auto u = static_cast<unsigned char>(c);
    if (std::isalpha(u) || c == '_' || c == ':' || u >= 0x80) return true;
    return !first && (std::isdigit(u) || c == '-' || c == '.');
  }
  std::string read_name() {
    size_t start = pos_;
    while (pos_ < s_.size() && name_char(s_[pos_], pos_ == start)) ++pos_;
    return std::string(s_.substr(start, pos_ - start));
  }
  // Character data up to the next '<': entities must be known or numeric.
  bool text() {
    while (pos_ < s_.size() && s_[pos_] != '<') {
      if (s_[pos_] != '&') {
        ++pos_;
      } else if (!entity()) {
        return false;
      }
    }
    return true;
  }
  bool entity() {
    auto semi = s_.find(';', pos_);
    if (semi == std::string_view::npos) return false;
    std::string_view e = s_.substr(pos_ + 1, semi - pos_ - 1);
    bool ok = e == "lt" || e == "gt" || e == "amp" || e == "apos" || e == "quot";
    if (!ok && e.size() > 1 && e[0] == '#') {
      const bool hex = e[1] == 'x';
      std::string_view digits = e.substr(hex ? 2 : 1);
      ok = !digits.empty() && std::all_of(digits.begin(), digits.end(), [hex](char c) {
        return hex ? std::isxdigit(static_cast<unsigned char>(c)) : std::isdigit(static_cast<unsigned char>(c));
      });
    }
    pos_ = semi + 1;
    return ok;
  }
  bool attributes(bool& self_closing) {
    for (;;) {
      skip_space();
      if (eat('>')) return true;
      if (starts("/>")) {
        pos_ += 2;
        self_closing = true;
        return true;
      }
      if (read_name().empty()) return false;
      skip_space();
      if (!eat('=')) return false;
      skip_space();
      if (pos_ >= s_.size() || (s_[pos_] != '"' && s_[pos_] != '\'')) return false;
      const char quote = s_[pos_++];
      auto end = s_.find(quote, pos_);
      if (end == std::string_view::npos) return false;
      if (s_.substr(pos_, end - pos_).find('<') != std::string_view::npos) return false;
      pos_ = end + 1;
    }
  }

  std::string_view s_;
  size_t pos_ = 0;
};

}  // namespace

std::string query_escape(std::string_view text) {
  static const char* kHex = "0123456789ABCDEF";
  std::string out;
  for (char c : text) {
    const auto u = static_cast<unsigned char>(c);
    if (std::isalnum(u) || c == '-' || c == '_' || c == '.' || c == '~') {
      out += c;
    } else if (c == ' ') {
      out += '+';
    } else {
      out += '%';
      out += kHex[u >> 4];
      out += kHex[u & 15];
    }
  }
  return out;
}

std::string http_target_url(const std::string& url, const std::string& host, const std::string& path,
                            const QueryParameters& extra) {
  UrlParts target;
  if (!url.empty()) {
    target = split_url(url);
  } else {
    target = split_url(path);
    target.prefix = split_url(host).prefix;
    if (!target.prefix.empty() && !target.path.empty() && target.path[0] != '/') target.path.insert(0, "/");
  }
  QueryParameters query = parse_query(target.query);
  query.insert(query.end(), extra.begin(), extra.end());
  std::stable_sort(query.begin(), query.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
  std::string encoded;
  for (const auto& [k, v] : query) {
    if (!encoded.empty()) encoded += '&';
    encoded += query_escape(k) + "=" + query_escape(v);
  }
  return target.prefix + target.path + (encoded.empty() ? "" : "?" + encoded);
}

std::string url_authority(std::string_view url) {
  auto start = url.find("://");
  if (start == std::string_view::npos) return "";
  start += 3;
  auto end = url.find_first_of("/?#", start);
  std::string_view authority = url.substr(start, end == std::string_view::npos ? std::string_view::npos : end - start);
  if (auto at = authority.rfind('@'); at != std::string_view::npos) authority.remove_prefix(at + 1);
  return std::string(authority);
}

std::optional<std::string> guess_content_type(std::string_view body) {
  if (parse_json(body).ok()) return "application/json";
  if (XmlCheck(body).first_element_is_well_formed()) return "application/xml";
  return std::nullopt;
}

}  // namespace utask::actions
