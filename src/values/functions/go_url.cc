#include "values/functions/go_url.h"

#include <algorithm>

#include "values/functions/go_unicode.h"
#include "values/functions/support.h"

namespace utask::values::fn {

namespace {

enum Mode { kPath, kPathSegment, kHost, kZone, kUserPassword, kQueryComponent, kFragment };

bool should_escape(unsigned char c, Mode mode) {
  if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')) return false;
  if (mode == kHost || mode == kZone) {
    switch (c) {
      case '!':
      case '$':
      case '&':
      case '\'':
      case '(':
      case ')':
      case '*':
      case '+':
      case ',':
      case ';':
      case '=':
      case ':':
      case '[':
      case ']':
      case '<':
      case '>':
      case '"': return false;
    }
  }
  switch (c) {
    case '-':
    case '_':
    case '.':
    case '~': return false;
    case '$':
    case '&':
    case '+':
    case ',':
    case '/':
    case ':':
    case ';':
    case '=':
    case '?':
    case '@':
      switch (mode) {
        case kPath: return c == '?';
        case kPathSegment: return c == '/' || c == ';' || c == ',' || c == '?';
        case kUserPassword: return c == '@' || c == '/' || c == '?' || c == ':';
        case kQueryComponent: return true;
        case kFragment: return false;
        default: break;
      }
  }
  if (mode == kFragment && (c == '!' || c == '(' || c == ')' || c == '*')) return false;
  return true;
}

bool ishex(char c) { return std::isxdigit(static_cast<unsigned char>(c)) != 0; }
int unhex(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  return (c | 0x20) - 'a' + 10;
}

Result<std::string> unescape(std::string_view s, Mode mode) {
  size_t n = 0;
  bool has_plus = false;
  for (size_t i = 0; i < s.size();) {
    if (s[i] == '%') {
      ++n;
      if (i + 2 >= s.size() || !ishex(s[i + 1]) || !ishex(s[i + 2])) {
        std::string_view bad = s.substr(i, 3);
        return call_error("invalid URL escape " + go_quote(bad));
      }
      if (mode == kHost && unhex(s[i + 1]) < 8 && s.substr(i, 3) != "%25") {
        return call_error("invalid URL escape " + go_quote(s.substr(i, 3)));
      }
      if (mode == kZone) {
        unsigned char v = static_cast<unsigned char>(unhex(s[i + 1]) << 4 | unhex(s[i + 2]));
        if (s.substr(i, 3) != "%25" && v != ' ' && should_escape(v, kHost)) {
          return call_error("invalid URL escape " + go_quote(s.substr(i, 3)));
        }
      }
      i += 3;
    } else if (s[i] == '+') {
      has_plus = mode == kQueryComponent;
      ++i;
    } else {
      unsigned char c = static_cast<unsigned char>(s[i]);
      if ((mode == kHost || mode == kZone) && c < 0x80 && should_escape(c, mode)) {
        return call_error("invalid character " + go_quote(s.substr(i, 1)) + " in host name");
      }
      ++i;
    }
  }
  if (n == 0 && !has_plus) return std::string(s);
  std::string t;
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '%') {
      t += char(unhex(s[i + 1]) << 4 | unhex(s[i + 2]));
      i += 2;
    } else if (s[i] == '+') {
      t += mode == kQueryComponent ? ' ' : '+';
    } else {
      t += s[i];
    }
  }
  return t;
}

std::string escape(std::string_view s, Mode mode) {
  static const char* upper = "0123456789ABCDEF";
  std::string t;
  for (char ch : s) {
    unsigned char c = static_cast<unsigned char>(ch);
    if (c == ' ' && mode == kQueryComponent) {
      t += '+';
    } else if (should_escape(c, mode)) {
      t += '%';
      t += upper[c >> 4];
      t += upper[c & 15];
    } else {
      t += ch;
    }
  }
  return t;
}

bool valid_optional_port(std::string_view port) {
  if (port.empty()) return true;
  if (port[0] != ':') return false;
  for (char c : port.substr(1)) {
    if (c < '0' || c > '9') return false;
  }
  return true;
}

bool valid_encoded(std::string_view s, Mode mode) {
  for (char ch : s) {
    if (std::string_view("!$&'()*+,;=:@[]%").find(ch) != std::string_view::npos) continue;
    if (should_escape(static_cast<unsigned char>(ch), mode)) return false;
  }
  return true;
}

Result<std::string> parse_host(std::string_view host) {
  if (!host.empty() && host[0] == '[') {
    size_t i = host.rfind(']');
    if (i == std::string_view::npos) return call_error("missing ']' in host");
    std::string_view colon_port = host.substr(i + 1);
    if (!valid_optional_port(colon_port)) return call_error("invalid port " + go_quote(colon_port) + " after host");
    size_t zone = host.substr(0, i).find("%25");
    if (zone != std::string_view::npos) {
      auto h1 = unescape(host.substr(0, zone), kHost);
      if (!h1) return h1;
      auto h2 = unescape(host.substr(zone, i - zone), kZone);
      if (!h2) return h2;
      auto h3 = unescape(host.substr(i), kHost);
      if (!h3) return h3;
      return *h1 + *h2 + *h3;
    }
  } else {
    size_t i = host.rfind(':');
    if (i != std::string_view::npos) {
      std::string_view colon_port = host.substr(i);
      if (!valid_optional_port(colon_port)) return call_error("invalid port " + go_quote(colon_port) + " after host");
    }
  }
  return unescape(host, kHost);
}

bool valid_userinfo(std::string_view s) {
  for (char c : s) {
    if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) continue;
    if (std::string_view("-._:~!$&'()*+,;=%@").find(c) != std::string_view::npos) continue;
    return false;
  }
  return true;
}

Result<void> parse_authority(Url& u, std::string_view authority) {
  size_t at = authority.rfind('@');
  auto host = parse_host(at == std::string_view::npos ? authority : authority.substr(at + 1));
  if (!host) return host.error();
  u.host = *host;
  if (at == std::string_view::npos) return {};
  std::string_view info = authority.substr(0, at);
  if (!valid_userinfo(info)) return call_error("net/url: invalid userinfo");
  u.has_user = true;
  size_t colon = info.find(':');
  if (colon == std::string_view::npos) {
    auto name = unescape(info, kUserPassword);
    if (!name) return name.error();
    u.username = *name;
  } else {
    auto name = unescape(info.substr(0, colon), kUserPassword);
    if (!name) return name.error();
    auto pass = unescape(info.substr(colon + 1), kUserPassword);
    if (!pass) return pass.error();
    u.username = *name;
    u.password = *pass;
    u.password_set = true;
  }
  return {};
}

Result<Url> parse_no_fragment(std::string_view raw) {
  Url u;
  for (char c : raw) {
    if (static_cast<unsigned char>(c) < ' ' || c == 0x7f)
      return call_error("net/url: invalid control character in URL");
  }
  if (raw == "*") {
    u.path = "*";
    return u;
  }
  std::string_view rest = raw;
  for (size_t i = 0; i < raw.size(); ++i) {
    char c = raw[i];
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')) continue;
    if ((c >= '0' && c <= '9') || c == '+' || c == '-' || c == '.') {
      if (i == 0) break;
      continue;
    }
    if (c == ':') {
      if (i == 0) return call_error("missing protocol scheme");
      u.scheme = to_lower(raw.substr(0, i));
      rest = raw.substr(i + 1);
    }
    break;
  }
  if (!rest.empty() && rest.back() == '?' && std::count(rest.begin(), rest.end(), '?') == 1) {
    u.force_query = true;
    rest.remove_suffix(1);
  } else {
    size_t q = rest.find('?');
    if (q != std::string_view::npos) {
      u.raw_query = std::string(rest.substr(q + 1));
      rest = rest.substr(0, q);
    }
  }
  if (rest.empty() || rest[0] != '/') {
    if (!u.scheme.empty()) {
      u.opaque = std::string(rest);
      return u;
    }
    std::string_view segment = rest.substr(0, rest.find('/'));
    if (segment.find(':') != std::string_view::npos) {
      return call_error("first path segment in URL cannot contain colon");
    }
  }
  if ((!u.scheme.empty() || rest.substr(0, 3) != "///") && rest.substr(0, 2) == "//") {
    std::string_view authority = rest.substr(2);
    rest = {};
    size_t slash = authority.find('/');
    if (slash != std::string_view::npos) {
      rest = authority.substr(slash);
      authority = authority.substr(0, slash);
    }
    auto r = parse_authority(u, authority);
    if (!r) return r.error();
  } else if (!u.scheme.empty() && !rest.empty() && rest[0] == '/') {
    u.omit_host = true;
  }
  auto path = unescape(rest, kPath);
  if (!path) return path.error();
  u.path = *path;
  if (escape(u.path, kPath) != rest) u.raw_path = std::string(rest);
  return u;
}

}  // namespace

std::string Url::userinfo() const {
  if (!has_user) return "";
  std::string s = escape(username, kUserPassword);
  if (password_set) s += ":" + escape(password, kUserPassword);
  return s;
}

std::string Url::escaped_path() const {
  if (!raw_path.empty() && valid_encoded(raw_path, kPath)) {
    auto p = unescape(raw_path, kPath);
    if (p && *p == path) return raw_path;
  }
  if (path == "*") return "*";
  return escape(path, kPath);
}

std::string Url::escaped_fragment() const {
  if (!raw_fragment.empty() && valid_encoded(raw_fragment, kFragment)) {
    auto f = unescape(raw_fragment, kFragment);
    if (f && *f == fragment) return raw_fragment;
  }
  return escape(fragment, kFragment);
}

std::string Url::hostname() const {
  std::string h = host;
  size_t colon = h.rfind(':');
  if (colon != std::string::npos && valid_optional_port(std::string_view(h).substr(colon))) h = h.substr(0, colon);
  if (h.size() >= 2 && h.front() == '[' && h.back() == ']') h = h.substr(1, h.size() - 2);
  return h;
}

std::string Url::str() const {
  std::string buf;
  if (!scheme.empty()) buf += scheme + ":";
  if (!opaque.empty()) {
    buf += opaque;
  } else {
    if (!scheme.empty() || !host.empty() || has_user) {
      if (!(omit_host && host.empty() && !has_user)) {
        if (!host.empty() || !path.empty() || has_user) buf += "//";
        if (has_user) buf += userinfo() + "@";
        if (!host.empty()) buf += escape(host, kHost);
      }
    }
    std::string p = escaped_path();
    if (!p.empty() && p[0] != '/' && !host.empty()) buf += '/';
    if (buf.empty()) {
      std::string_view segment = std::string_view(p).substr(0, p.find('/'));
      if (segment.find(':') != std::string_view::npos) buf += "./";
    }
    buf += p;
  }
  if (force_query || !raw_query.empty()) buf += "?" + raw_query;
  if (!fragment.empty()) buf += "#" + escaped_fragment();
  return buf;
}

Result<Url> parse_url(std::string_view raw) {
  size_t hash = raw.find('#');
  std::string_view u = raw.substr(0, hash);
  auto url = parse_no_fragment(u);
  if (!url) return call_error("parse " + go_quote(u) + ": " + url.error().message);
  if (hash == std::string_view::npos) return url;
  std::string_view frag = raw.substr(hash + 1);
  if (frag.empty()) return url;
  auto f = unescape(frag, kFragment);
  if (!f) return call_error("parse " + go_quote(raw) + ": " + f.error().message);
  url->fragment = *f;
  if (escape(*f, kFragment) != frag) url->raw_fragment = std::string(frag);
  return url;
}

}  // namespace utask::values::fn
