// The static UI of api.md §5.10: ./static/dashboard under /ui/dashboard/ and
// ./static/swagger-ui under /ui/swagger/, with the placeholders of the dashboard replaced.
// Outside the API router: no authentication, no CORS, no audit line.

#include <filesystem>
#include <map>
#include <memory>
#include <fstream>
#include <sstream>

#include "http/routes.h"

namespace utask::http {
namespace {

namespace fs = std::filesystem;

// POSIX lexical cleaning as Go's path.Clean ("" → ".").
std::string clean(const std::string& path) {
  if (path.empty()) return ".";
  const bool rooted = path.front() == '/';
  std::vector<std::string> parts;
  std::stringstream in(path);
  std::string part;
  while (std::getline(in, part, '/')) {
    if (part.empty() || part == ".") continue;
    if (part == "..") {
      if (!parts.empty() && parts.back() != "..") parts.pop_back();
      else if (!rooted) parts.push_back("..");
      continue;
    }
    parts.push_back(part);
  }
  std::string out = rooted ? "/" : "";
  for (size_t i = 0; i < parts.size(); ++i) out += (i ? "/" : "") + parts[i];
  return out.empty() ? "." : out;
}

std::string join(const std::string& a, const std::string& b) {
  if (a.empty()) return clean(b);
  return clean(a + "/" + b);
}

std::string content_type(const fs::path& file) {
  static const std::map<std::string, std::string> types{
      {".html", "text/html; charset=utf-8"}, {".js", "text/javascript; charset=utf-8"},
      {".css", "text/css; charset=utf-8"},   {".json", "application/json"},
      {".svg", "image/svg+xml"},             {".png", "image/png"},
      {".ico", "image/x-icon"},              {".woff", "font/woff"},
      {".woff2", "font/woff2"},              {".txt", "text/plain; charset=utf-8"},
      {".map", "application/json"},          {".jpg", "image/jpeg"}};
  auto it = types.find(file.extension().string());
  return it == types.end() ? "application/octet-stream" : it->second;
}

void replace_all(std::string& text, const std::string& from, const std::string& to) {
  size_t pos = 0;
  while ((pos = text.find(from, pos)) != std::string::npos) {
    text.replace(pos, from.size(), to);
    pos += to.size();
  }
}

struct Tree {
  std::string url_prefix;  // "/ui/dashboard"
  fs::path root;
  std::vector<std::pair<std::string, std::string>> replacements;
};

HttpResponse serve(const Tree& tree, const RequestContext& rc) {
  const std::string& rest = rc.request.path_param("path");
  const std::string& path = rc.request.path;
  if (path == tree.url_prefix) {
    HttpResponse r = HttpResponse::empty(301);
    r.headers["Location"] = tree.url_prefix + "/";
    return r;
  }
  // A `..` segment (sent percent-encoded) never names a file of the tree.
  if (("/" + rest + "/").find("/../") != std::string::npos) {
    return HttpResponse::text(404, "404 page not found");
  }
  const std::string relative = clean("/" + rest);
  if (path.size() >= 11 && path.compare(path.size() - 11, 11, "/index.html") == 0) {
    HttpResponse r = HttpResponse::empty(301);
    r.headers["Location"] = path.substr(0, path.size() - 10);
    return r;
  }
  fs::path file = tree.root / relative.substr(1);
  std::error_code ec;
  if (fs::is_directory(file, ec)) {
    if (path.back() != '/') {
      HttpResponse r = HttpResponse::empty(301);
      r.headers["Location"] = path + "/";
      return r;
    }
    file /= "index.html";
  }
  if (!fs::is_regular_file(file, ec)) return HttpResponse::text(404, "404 page not found");
  std::ifstream in(file, std::ios::binary);
  std::stringstream body;
  body << in.rdbuf();
  std::string text = body.str();
  for (const auto& [from, to] : tree.replacements) replace_all(text, from, to);
  HttpResponse r = HttpResponse::text(200, rc.request.method == "HEAD" ? "" : std::move(text),
                                      content_type(file));
  return r;
}

}  // namespace

void add_static_ui_routes(RouteTable& table, const ApiContext& api) {
  const auto& o = api.options;
  std::string api_prefix = join(o.dashboard_api_path_prefix, "/");
  if (api_prefix == ".") api_prefix = "/";
  if (api_prefix.back() != '/') api_prefix += '/';
  const std::string base_href = join(o.dashboard_path_prefix, "/ui/dashboard") + "/";
  const fs::path root = o.static_root;
  std::vector<Tree> trees{
      {"/ui/dashboard", root / "dashboard",
       {{"___UTASK_DASHBOARD_BASEHREF___", base_href},
        {"___UTASK_DASHBOARD_PREFIXAPIBASEURL___", api_prefix},
        {"___UTASK_DASHBOARD_SENTRY_DSN___", o.dashboard_sentry_dsn}}},
      {"/ui/swagger", root / "swagger-ui",
       {{"___UTASK_DASHBOARD_PREFIXAPIBASEURL___", api_prefix},
        {"___UTASK_DASHBOARD_SENTRY_DSN___", o.dashboard_sentry_dsn}}},
  };
  for (auto& tree : trees) {
    std::error_code ec;
    if (!fs::is_directory(tree.root, ec)) continue;
    auto shared = std::make_shared<const Tree>(std::move(tree));
    for (const char* method : {"GET", "HEAD"}) {
      Route r;
      r.method = method;
      r.pattern = shared->url_prefix + "/{*path}";
      r.access = Access::unsecured;
      r.hidden_from_spec = true;
      r.bare = true;
      r.handler = [shared](const RequestContext& rc) { return serve(*shared, rc); };
      table.add(std::move(r));
    }
  }
}

}  // namespace utask::http
