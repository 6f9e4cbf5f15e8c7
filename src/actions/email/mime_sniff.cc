#include "actions/email/mime_sniff.h"

#include <array>
#include <cctype>

namespace utask::actions {
namespace {

constexpr size_t kSniffLen = 512;

bool is_ws(unsigned char c) { return c == '\t' || c == '\n' || c == '\x0c' || c == '\r' || c == ' '; }

std::string_view skip_ws(std::string_view s) {
  while (!s.empty() && is_ws(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  return s;
}

bool iprefix(std::string_view s, std::string_view p) {
  if (s.size() < p.size()) return false;
  for (size_t i = 0; i < p.size(); ++i) {
    if (std::toupper(static_cast<unsigned char>(s[i])) != static_cast<unsigned char>(p[i])) return false;
  }
  return true;
}

// An HTML signature: the tag, case-insensitive, then a space or '>'.
bool html_tag(std::string_view data, std::string_view tag) {
  const std::string_view s = skip_ws(data);
  if (!iprefix(s, tag) || s.size() == tag.size()) return false;
  const char next = s[tag.size()];
  return next == ' ' || next == '>';
}

bool prefix(std::string_view s, std::string_view p) { return s.substr(0, p.size()) == p; }

// Binary data bytes of the WHATWG algorithm.
bool binary_byte(unsigned char c) {
  return c <= 0x08 || c == 0x0B || (c >= 0x0E && c <= 0x1A) || (c >= 0x1C && c <= 0x1F);
}

}  // namespace

std::string sniff_content_type(std::string_view body) {
  const std::string_view data = body.substr(0, kSniffLen);
  static constexpr std::array<std::string_view, 17> kHtml = {
      "<!DOCTYPE HTML", "<HTML", "<HEAD", "<SCRIPT", "<IFRAME", "<H1", "<DIV", "<FONT", "<TABLE",
      "<A", "<STYLE", "<TITLE", "<B", "<BODY", "<BR", "<P", "<!--"};
  for (std::string_view tag : kHtml) {
    if (html_tag(data, tag)) return "text/html; charset=utf-8";
  }
  if (prefix(skip_ws(data), "<?xml")) return "text/xml; charset=utf-8";
  if (prefix(data, "%PDF-")) return "application/pdf";
  if (prefix(data, "%!PS-Adobe-")) return "application/postscript";
  if (prefix(data, "\xFE\xFF")) return "text/plain; charset=utf-16be";
  if (prefix(data, "\xFF\xFE")) return "text/plain; charset=utf-16le";
  if (prefix(data, "\xEF\xBB\xBF")) return "text/plain; charset=utf-8";
  if (prefix(data, "GIF87a") || prefix(data, "GIF89a")) return "image/gif";
  if (prefix(data, "\x89PNG\r\n\x1A\n")) return "image/png";
  if (prefix(data, "\xFF\xD8\xFF")) return "image/jpeg";
  for (char c : data) {
    if (binary_byte(static_cast<unsigned char>(c))) return "application/octet-stream";
  }
  return "text/plain; charset=utf-8";
}

}  // namespace utask::actions
