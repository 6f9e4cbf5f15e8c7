// sprig's path functions: Go's path package (base, dir, clean, ext, isAbs) and path/filepath
// (the os* forms, identical on Unix).

#include "values/functions/families.h"
#include "values/functions/support.h"

namespace utask::values::fn {

namespace {

std::string clean(std::string_view path) {
  if (path.empty()) return ".";
  bool rooted = path[0] == '/';
  size_t n = path.size();
  std::string out;
  size_t r = 0, dotdot = 0;
  if (rooted) {
    out += '/';
    r = dotdot = 1;
  }
  while (r < n) {
    if (path[r] == '/') {
      ++r;
    } else if (path[r] == '.' && (r + 1 == n || path[r + 1] == '/')) {
      ++r;
    } else if (path[r] == '.' && path[r + 1] == '.' && (r + 2 == n || path[r + 2] == '/')) {
      r += 2;
      if (out.size() > dotdot) {
        out.pop_back();
        while (out.size() > dotdot && out.back() != '/') out.pop_back();
        // lazybuf keeps the '/' at out.w; Go writes over it, so drop it too.
        if (out.size() > dotdot) out.pop_back();
      } else if (!rooted) {
        if (!out.empty()) out += '/';
        out += "..";
        dotdot = out.size();
      }
    } else {
      if ((rooted && out.size() != 1) || (!rooted && !out.empty())) out += '/';
      for (; r < n && path[r] != '/'; ++r) out += path[r];
    }
  }
  if (out.empty()) return ".";
  return out;
}

std::string base(std::string_view path) {
  if (path.empty()) return ".";
  while (!path.empty() && path.back() == '/') path.remove_suffix(1);
  size_t i = path.rfind('/');
  if (i != std::string_view::npos) path = path.substr(i + 1);
  if (path.empty()) return "/";
  return std::string(path);
}

std::string dir(std::string_view path) {
  size_t i = path.rfind('/');
  return clean(i == std::string_view::npos ? std::string_view() : path.substr(0, i + 1));
}

std::string ext(std::string_view path) {
  for (size_t i = path.size(); i > 0 && path[i - 1] != '/'; --i) {
    if (path[i - 1] == '.') return std::string(path.substr(i - 1));
  }
  return "";
}

void add_family(FunctionTable& t, const std::string& prefix) {
  auto name = [&](const std::string& n) {
    return prefix.empty() ? n : prefix + char(std::toupper(n[0])) + n.substr(1);
  };
  std::string pkg = prefix.empty() ? "path" : "filepath";
  t.add(row(name("base"), "func(path string) string", "The last element of the path (" + pkg + ".Base).",
            "{{ " + name("base") + " \"a/b/c.txt\" }}",
            [](FunctionCall& c) -> Result<Value> { return Value::string(base(arg_string(c, 0))); }));
  t.add(row(name("dir"), "func(path string) string", "All but the last element (" + pkg + ".Dir).",
            "{{ " + name("dir") + " \"a/b/c.txt\" }}",
            [](FunctionCall& c) -> Result<Value> { return Value::string(dir(arg_string(c, 0))); }));
  t.add(row(name("clean"), "func(path string) string", "The shortest equivalent path (" + pkg + ".Clean).",
            "{{ " + name("clean") + " \"a//b/../c\" }}",
            [](FunctionCall& c) -> Result<Value> { return Value::string(clean(arg_string(c, 0))); }));
  t.add(row(name("ext"), "func(path string) string", "The file extension (" + pkg + ".Ext).",
            "{{ " + name("ext") + " \"a/b.tar.gz\" }}",
            [](FunctionCall& c) -> Result<Value> { return Value::string(ext(arg_string(c, 0))); }));
  t.add(row(name("isAbs"), "func(path string) bool", "Whether the path is absolute.",
            "{{ " + name("isAbs") + " \"/a\" }}", [](FunctionCall& c) -> Result<Value> {
              return Value::boolean(!arg_string(c, 0).empty() && arg_string(c, 0)[0] == '/');
            }));
}

}  // namespace

void add_path_functions(FunctionTable& t) {
  add_family(t, "");
  add_family(t, "os");
}

}  // namespace utask::values::fn
