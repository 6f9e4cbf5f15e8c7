#include "case_file_support.h"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

#include "model/json.h"

namespace utask::values::testing {
namespace {

bool starts_with(const std::string& s, const std::string& p) { return s.rfind(p, 0) == 0; }

Error bad(const std::string& file, int line, const std::string& msg) {
  return Error::invalid_input(file + ":" + std::to_string(line) + ": " + msg);
}

}  // namespace

Result<std::vector<RenderCase>> parse_case_text(const std::string& text, const std::string& file) {
  std::vector<std::string> lines;
  {
    std::string cur;
    std::istringstream in(text);
    while (std::getline(in, cur)) lines.push_back(cur);
  }
  std::vector<RenderCase> cases;
  std::set<std::string> names;
  RenderCase* c = nullptr;
  auto finish = [&](RenderCase* rc) -> Result<void> {
    if (!rc) return {};
    if (rc->tmpl.empty() && !rc->expect && !rc->error) return bad(file, rc->line, "case without template");
    int n = (rc->expect ? 1 : 0) + (rc->error ? 1 : 0);
    if (rc->nondeterministic) {
      if (rc->expect) return bad(file, rc->line, "nondeterministic case with expect");
    } else if (n != 1) {
      return bad(file, rc->line, "case needs exactly one of expect/error");
    }
    return {};
  };
  auto json_string = [&](const std::string& s, int line) -> Result<std::string> {
    auto j = parse_json(s);
    if (!j || !j->is_string()) return bad(file, line, "expected a JSON string");
    return j->get<std::string>();
  };
  auto block = [&](size_t& i) -> std::string {
    std::string out;
    bool first = true;
    for (i++; i < lines.size() && lines[i] != "----"; i++) {
      if (!first) out += '\n';
      out += lines[i];
      first = false;
    }
    return out;
  };
  bool has_template = false;
  for (size_t i = 0; i < lines.size(); i++) {
    const std::string& l = lines[i];
    int lineno = static_cast<int>(i) + 1;
    if (l.empty() || l[0] == '#') continue;
    if (starts_with(l, "case ")) {
      if (auto r = finish(c); !r) return r.error();
      cases.push_back(RenderCase{});
      c = &cases.back();
      c->file = file;
      c->line = lineno;
      c->name = l.substr(5);
      has_template = false;
      if (!names.insert(c->name).second) return bad(file, lineno, "duplicate case name " + c->name);
      continue;
    }
    if (!c) return bad(file, lineno, "line outside a case: " + l);
    if (starts_with(l, "data ")) {
      c->data = l.substr(5);
      if (!parse_json(c->data)) return bad(file, lineno, "data is not JSON");
    } else if (l == "template") {
      c->tmpl = block(i);
      has_template = true;
    } else if (starts_with(l, "template_json ")) {
      auto s = json_string(l.substr(14), lineno);
      if (!s) return s.error();
      c->tmpl = *s;
      has_template = true;
    } else if (starts_with(l, "template ")) {
      c->tmpl = l.substr(9);
      has_template = true;
    } else if (l == "expect") {
      c->expect = block(i);
    } else if (starts_with(l, "expect_json ")) {
      auto s = json_string(l.substr(12), lineno);
      if (!s) return s.error();
      c->expect = *s;
    } else if (starts_with(l, "expect ")) {
      c->expect = l.substr(7);
    } else if (starts_with(l, "error ")) {
      c->error = l.substr(6);
    } else if (l == "differs") {
      c->differs = true;
    } else if (l == "nondeterministic") {
      c->nondeterministic = true;
    } else {
      return bad(file, lineno, "unknown line: " + l);
    }
    (void)has_template;
  }
  if (auto r = finish(c); !r) return r.error();
  return cases;
}

Result<std::vector<RenderCase>> parse_case_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Error::not_found("cannot read " + path);
  std::stringstream ss;
  ss << in.rdbuf();
  return parse_case_text(ss.str(), std::filesystem::path(path).filename().string());
}

std::vector<std::string> case_files(const std::string& dir) {
  std::vector<std::string> out;
  std::error_code ec;
  for (const auto& e : std::filesystem::directory_iterator(dir, ec))
    if (e.path().extension() == ".test") out.push_back(e.path().string());
  std::sort(out.begin(), out.end());
  return out;
}

std::string go_json_sanitize(const std::string& s) {
  std::string out;
  size_t i = 0;
  auto cont = [&](size_t k) { return k < s.size() && (static_cast<unsigned char>(s[k]) & 0xC0) == 0x80; };
  while (i < s.size()) {
    unsigned char c = static_cast<unsigned char>(s[i]);
    size_t w = 0;
    if (c < 0x80) {
      w = 1;
    } else if (c >= 0xC2 && c <= 0xDF && cont(i + 1)) {
      w = 2;
    } else if (c >= 0xE0 && c <= 0xEF && cont(i + 1) && cont(i + 2)) {
      unsigned char c1 = static_cast<unsigned char>(s[i + 1]);
      if (!((c == 0xE0 && c1 < 0xA0) || (c == 0xED && c1 >= 0xA0))) w = 3;
    } else if (c >= 0xF0 && c <= 0xF4 && cont(i + 1) && cont(i + 2) && cont(i + 3)) {
      unsigned char c1 = static_cast<unsigned char>(s[i + 1]);
      if (!((c == 0xF0 && c1 < 0x90) || (c == 0xF4 && c1 >= 0x90))) w = 4;
    }
    if (w == 0) {
      out += "\xEF\xBF\xBD";
      i++;
    } else {
      out.append(s, i, w);
      i += w;
    }
  }
  return out;
}

}  // namespace utask::values::testing
