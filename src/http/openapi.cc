#include "http/openapi.h"

#include <algorithm>
#include <set>

namespace utask::http {
namespace {

// "/task/{id}/comment/{commentid}" → {"id", "commentid"}.
std::vector<std::string> path_parameters(const std::string& pattern) {
  std::vector<std::string> names;
  size_t pos = 0;
  while ((pos = pattern.find('{', pos)) != std::string::npos) {
    const size_t end = pattern.find('}', pos);
    if (end == std::string::npos) break;
    names.push_back(pattern.substr(pos + 1, end - pos - 1));
    pos = end + 1;
  }
  return names;
}

Json parameter(const ParamDoc& p) {
  Json schema = Json::object();
  schema["type"] = p.type.empty() ? "string" : p.type;
  if (p.type == "array") schema["items"] = Json{{"type", "string"}};
  Json out = {{"name", p.name}, {"in", p.in.empty() ? "query" : p.in}, {"schema", schema}};
  if (!p.description.empty()) out["description"] = p.description;
  if (p.in == "path" || p.required) out["required"] = true;
  if (p.type == "array") {
    out["style"] = "form";
    out["explode"] = true;
  }
  return out;
}

// "POST /task/{id}/wontfix" → "PostTaskIdWontfix" (routes without a documented id).
std::string generated_operation_id(const Route& route) {
  std::string id;
  bool upper = true;
  for (char c : route.method + "/" + route.pattern) {
    if (!std::isalnum(static_cast<unsigned char>(c))) {
      upper = true;
      continue;
    }
    id.push_back(upper ? static_cast<char>(std::toupper(static_cast<unsigned char>(c)))
                       : static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
    upper = false;
  }
  return id;
}

Json operation(const Route& route) {
  const RouteDoc& doc = route.doc;
  Json op = Json::object();
  op["operationId"] = doc.operation_id.empty() ? generated_operation_id(route) : doc.operation_id;
  if (!doc.tag.empty()) op["tags"] = Json::array({doc.tag});
  if (!doc.summary.empty()) op["summary"] = doc.summary;

  Json params = Json::array();
  std::set<std::string> documented;
  for (const auto& p : doc.params) {
    params.push_back(parameter(p));
    documented.insert((p.in.empty() ? "query" : p.in) + ":" + p.name);
  }
  for (const auto& name : path_parameters(route.pattern)) {
    if (documented.count("path:" + name)) continue;
    params.push_back(parameter(ParamDoc{name, "path", "string", "", true}));
  }
  if (!params.empty()) op["parameters"] = params;

  if (doc.request_body) {
    op["requestBody"] = {
        {"required", true},
        {"content",
         {{"application/json", {{"schema", *doc.request_body}}},
          {"application/x-yaml", {{"schema", *doc.request_body}}}}}};
  }

  Json responses = Json::object();
  bool success_documented = false;
  for (const auto& [status, description] : doc.responses) {
    Json r = {{"description", description.empty() ? "-" : description}};
    if (status >= 200 && status < 300 && doc.response_schema && !success_documented) {
      r["content"] = {{"application/json", {{"schema", *doc.response_schema}}}};
      success_documented = true;
    } else if (status >= 400 && status != 401 && status != 500) {
      r["content"] = {{"application/json", {{"schema", {{"$ref", "#/components/schemas/Error"}}}}}};
    }
    responses[std::to_string(status)] = r;
  }
  if (responses.empty()) {
    Json r = {{"description", "OK"}};
    if (doc.response_schema) r["content"] = {{"application/json", {{"schema", *doc.response_schema}}}};
    responses["200"] = r;
  }
  if (route.access != Access::unsecured && !responses.contains("401")) {
    responses["401"] = {{"description", route.access == Access::admin
                                            ? "Not authenticated, or not an admin (empty body)"
                                            : "Not authenticated (empty body)"}};
  }
  if (route.maintenance_sensitive && !responses.contains("405")) {
    responses["405"] = {{"description", "Maintenance mode activated"},
                        {"content",
                         {{"application/json", {{"schema", {{"$ref", "#/components/schemas/Error"}}}}}}}};
  }
  op["responses"] = responses;
  if (route.access == Access::unsecured) {
    op["security"] = Json::array();
  } else {
    op["security"] = Json::array({Json{{"basicAuth", Json::array()}},
                                  Json{{"remoteUser", Json::array()}}});
  }
  return op;
}

}  // namespace

Json openapi_document(const RouteTable& routes, const ApiContext& api) {
  const std::string title = api.application_name.empty() ? "µTask" : api.application_name;
  std::string server_url = api.options.dashboard_api_path_prefix.empty()
                               ? "/"
                               : api.options.dashboard_api_path_prefix;
  Json doc = Json::object();
  doc["openapi"] = "3.0.3";
  doc["info"] = {{"title", title}, {"version", api.version.empty() ? "unknown" : api.version}};
  doc["servers"] = Json::array({Json{{"url", server_url}, {"description", title}}});

  Json paths = Json::object();
  std::set<std::string> tags;
  for (const auto& route : routes.routes()) {
    if (route.hidden_from_spec || route.bare) continue;
    std::string method = route.method;
    std::transform(method.begin(), method.end(), method.begin(),
                   [](unsigned char c) { return std::tolower(c); });
    paths[route.pattern][method] = operation(route);
    if (!route.doc.tag.empty()) tags.insert(route.doc.tag);
  }
  doc["paths"] = paths;
  Json tag_list = Json::array();
  for (const auto& t : tags) tag_list.push_back({{"name", t}});
  doc["tags"] = tag_list;
  doc["components"] = {
      {"securitySchemes",
       {{"basicAuth", {{"type", "http"}, {"scheme", "basic"}}},
        {"remoteUser",
         {{"type", "apiKey"},
          {"in", "header"},
          {"name", "x-remote-user"},
          {"description", "Identity set by a trusted authenticating proxy"}}}}},
      {"schemas",
       {{"Error",
         {{"type", "object"},
          {"properties", {{"error", {{"type", "string"}}}}},
          {"required", Json::array({"error"})}}}}}};
  return doc;
}

}  // namespace utask::http
