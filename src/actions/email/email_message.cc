#include "actions/email/email_message.h"

#include <algorithm>
#include <array>
#include <cstdio>

#include "actions/email/mime_sniff.h"
#include "values/functions/go_base.h"

namespace utask::actions {
namespace {

constexpr char kHex[] = "0123456789ABCDEF";
constexpr size_t kMaxEncodedWord = 75;
constexpr std::string_view kQPrefix = "=?UTF-8?q?";
constexpr std::string_view kSuffix = "?=";

bool needs_encoding(std::string_view s) {
  for (unsigned char c : s) {
    if ((c < ' ' || c > '~') && c != '\t') return true;
  }
  return false;
}

std::string q_byte(unsigned char b) {
  if (b == ' ') return "_";
  if (b >= '!' && b <= '~' && b != '=' && b != '?' && b != '_') return std::string(1, static_cast<char>(b));
  return std::string{'=', kHex[b >> 4], kHex[b & 0x0F]};
}

// The byte length of the UTF-8 sequence starting with `lead` (1 for stray bytes).
size_t utf8_length(unsigned char lead) {
  if (lead >= 0xF0 && lead <= 0xF7) return 4;
  if (lead >= 0xE0) return 3;
  if (lead >= 0xC0) return 2;
  return 1;
}

// Characters the original's library puts in a B-encoded word rather than a quoted name.
bool has_specials(std::string_view s) {
  for (char c : s) {
    switch (c) {
      case '(': case ')': case '<': case '>': case '[': case ']': case ':': case ';':
      case '@': case '\\': case ',': case '.': case '"':
        return true;
      default: break;
    }
  }
  return false;
}

std::string format_address(const std::string& address, const std::string& name) {
  if (name.empty()) return address;
  std::string out;
  if (!needs_encoding(name)) {
    out += '"';
    for (char c : name) {
      if (c == '\\' || c == '"') out += '\\';
      out += c;
    }
    out += '"';
  } else if (has_specials(name)) {
    out = "=?UTF-8?b?" + values::fn::base64_encode(name, true) + "?=";
  } else {
    out = q_encode_header(name);
  }
  return out + " <" + address + ">";
}

// `Name: value`, folded at spaces to keep lines under 78 characters (RFC 5322 §2.2.3); an
// unfolding reader sees the value unchanged.
std::string header(std::string_view name, std::string_view value) {
  std::string out = std::string(name) + ":";
  size_t line = out.size();
  bool first = true;
  for (size_t i = 0;;) {
    const size_t space = value.find(' ', i);
    const std::string_view word = value.substr(i, space == std::string_view::npos ? value.size() - i : space - i);
    if (!first && line + 1 + word.size() > 76) {
      out += "\r\n";
      line = 0;
    }
    out += " ";
    out += word;
    line += 1 + word.size();
    first = false;
    if (space == std::string_view::npos) break;
    i = space + 1;
  }
  return out + "\r\n";
}

std::string rfc1123z(std::time_t now) {
  std::tm tm{};
  ::localtime_r(&now, &tm);
  std::array<char, 64> buf{};
  static const char* days[] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
  static const char* months[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                 "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  std::array<char, 16> zone{};
  std::strftime(zone.data(), zone.size(), "%z", &tm);
  std::snprintf(buf.data(), buf.size(), "%s, %02d %s %04d %02d:%02d:%02d %s", days[tm.tm_wday], tm.tm_mday,
                months[tm.tm_mon], tm.tm_year + 1900, tm.tm_hour, tm.tm_min, tm.tm_sec, zone.data());
  return buf.data();
}

}  // namespace

std::string q_encode_header(std::string_view text) {
  if (!needs_encoding(text)) return std::string(text);
  const size_t room = kMaxEncodedWord - kQPrefix.size() - kSuffix.size();
  std::string out;
  std::string word;
  for (size_t i = 0; i < text.size();) {
    const size_t n = std::min(utf8_length(static_cast<unsigned char>(text[i])), text.size() - i);
    std::string encoded;
    for (size_t k = 0; k < n; ++k) encoded += q_byte(static_cast<unsigned char>(text[i + k]));
    if (!word.empty() && word.size() + encoded.size() > room) {
      out += std::string(kQPrefix) + word + std::string(kSuffix) + " ";
      word.clear();
    }
    word += encoded;
    i += n;
  }
  return out + std::string(kQPrefix) + word + std::string(kSuffix);
}

std::string quoted_printable(std::string_view text) {
  constexpr size_t kLine = 75;  // + the soft break's '='
  std::string out;
  std::string line;
  auto put = [&](std::string_view token) {
    if (line.size() + token.size() > kLine) {
      out += line + "=\r\n";
      line.clear();
    }
    line += token;
  };
  // Whitespace that would end a line is encoded, so transports cannot strip it.
  auto end_line = [&] {
    if (!line.empty() && (line.back() == ' ' || line.back() == '\t')) {
      const unsigned char last = static_cast<unsigned char>(line.back());
      line.pop_back();
      put(std::string{'=', kHex[last >> 4], kHex[last & 0x0F]});
    }
  };
  for (size_t i = 0; i < text.size(); ++i) {
    const unsigned char c = static_cast<unsigned char>(text[i]);
    if (c == '\r' || c == '\n') {
      if (c == '\r' && i + 1 < text.size() && text[i + 1] == '\n') ++i;
      end_line();
      out += line + "\r\n";
      line.clear();
    } else if ((c >= '!' && c <= '~' && c != '=') || c == ' ' || c == '\t') {
      put(std::string(1, static_cast<char>(c)));
    } else {
      put(std::string{'=', kHex[c >> 4], kHex[c & 0x0F]});
    }
  }
  end_line();
  return out + line;
}

std::string envelope_address(std::string_view recipient) {
  const size_t open = recipient.rfind('<');
  if (open != std::string_view::npos && !recipient.empty() && recipient.back() == '>') {
    return std::string(recipient.substr(open + 1, recipient.size() - open - 2));
  }
  return std::string(recipient);
}

std::string compose_email(const EmailMessage& m, std::time_t now) {
  std::string to;
  for (const auto& r : m.to) {
    if (!to.empty()) to += ", ";
    // A non-ASCII display name is encoded, never the address after it.
    const std::string address = envelope_address(r);
    if (address != r && needs_encoding(r)) {
      std::string name = r.substr(0, r.rfind('<'));
      while (!name.empty() && name.back() == ' ') name.pop_back();
      to += q_encode_header(name) + " <" + address + ">";
    } else {
      to += q_encode_header(r);
    }
  }
  std::string text;
  text += header("From", format_address(m.from_address, m.from_name));
  text += header("To", to);
  text += header("Subject", q_encode_header(m.subject));
  text += header("Date", rfc1123z(now));
  text += "Mime-Version: 1.0\r\n";
  text += "Content-Type: " + sniff_content_type(m.body) + "\r\n";
  text += "Content-Transfer-Encoding: quoted-printable\r\n";
  text += "\r\n";
  text += quoted_printable(m.body);
  return text;
}

}  // namespace utask::actions
