// GET /template, /template/{name}, /function, /function/{name} (api.md §5.1, §5.2): read
// from the store, where the template and function directories are synced at start-up, in the
// shapes of §6.8 and §6.10 (the store keeps each definition in its API shape).

#include <string>

#include "http/binding.h"
#include "http/routes.h"
#include "http/routes/task_schemas.h"
#include "persistence/store.h"
#include "service/context.h"
#include "service/task_service.h"

namespace utask::http {

namespace {

// §6.8: what a template summary leaves out.
constexpr const char* kDetailsOnly[] = {"steps", "variables", "result_format", "title_format"};

Result<Json> parse_definition(const std::string& what, const std::string& text) {
  auto json = parse_json(text);
  if (!json) return Error::internal("stored " + what + " is not JSON: " + json.error().message);
  return std::move(*json);
}

Error template_not_found(const std::string& name, const Error& cause) {
  if (cause.code != ErrorCode::not_found) return cause;
  return Error::not_found("Failed to load template \"" + name + "\" from name: " + cause.message);
}

// `page_size` and `last` of the list routes (§1.7).
struct PageQuery {
  size_t page_size = 0;
  std::string last;
};

Result<PageQuery> bind_page(const HttpRequest& request) {
  auto page_size = query_uint64(request, "page_size");
  if (!page_size) return page_size.error();
  auto last = query_string(request, "last");
  if (!last) return last.error();
  return PageQuery{service::normalize_page_size(page_size->value_or(0)), last->value_or("")};
}

template <class T>
void page_headers(HttpResponse& response, const char* path, size_t page_size,
                  const persistence::Page<T>& page) {
  add_paging_headers(response, path, page_size, page.items.size(),
                     {{"last", page.next}, {"page_size", std::to_string(page_size)}});
}

HttpResponse list_templates(const ApiContext& api, const RequestContext& ctx) {
  auto page = bind_page(ctx.request);
  if (!page) return error_response(page.error());
  const bool admin = ctx.caller && ctx.caller->admin;
  auto listed = api.services->store->list_templates({page->page_size, page->last}, admin);
  if (!listed) return error_response(template_not_found(page->last, listed.error()));
  Json out = Json::array();
  for (const auto& record : listed->items) {
    auto json = parse_definition("template " + record.name, record.definition_json);
    if (!json) return error_response(json.error());
    for (const char* key : kDetailsOnly) json->erase(key);
    out.push_back(std::move(*json));
  }
  auto response = HttpResponse::json(200, out);
  page_headers(response, "/template", page->page_size, *listed);
  return response;
}

HttpResponse get_template(const ApiContext& api, const RequestContext& ctx) {
  const std::string& name = ctx.request.path_param("name");
  auto record = api.services->store->get_template(name);
  if (!record) return error_response(template_not_found(name, record.error()));
  auto json = parse_definition("template " + record->name, record->definition_json);
  if (!json) return error_response(json.error());
  return HttpResponse::json(200, *json);
}

HttpResponse list_functions(const ApiContext& api, const RequestContext& ctx) {
  auto page = bind_page(ctx.request);
  if (!page) return error_response(page.error());
  auto listed = api.services->store->list_functions({page->page_size, page->last});
  if (!listed) return error_response(listed.error());
  Json out = Json::array();
  for (const auto& record : listed->items) {
    auto json = parse_definition("function " + record.name, record.definition_json);
    if (!json) return error_response(json.error());
    out.push_back(std::move(*json));
  }
  auto response = HttpResponse::json(200, out);
  page_headers(response, "/function", page->page_size, *listed);
  return response;
}

HttpResponse get_function(const ApiContext& api, const RequestContext& ctx) {
  auto record = api.services->store->get_function(ctx.request.path_param("name"));
  if (!record) {
    if (record.error().code == ErrorCode::not_found) return HttpResponse::error(404, "function not found");
    return error_response(record.error());
  }
  auto json = parse_definition("function " + record->name, record->definition_json);
  if (!json) return error_response(json.error());
  return HttpResponse::json(200, *json);
}

std::vector<ParamDoc> page_params(const char* last_description) {
  return {{"page_size", "query", "integer",
           "items per page: absent or 0 → 1000, below 10 → 10, above 10000 → 10000"},
          {"last", "query", "string", last_description}};
}

}  // namespace

void add_template_routes(RouteTable& table, const ApiContext& api) {
  const ApiContext* a = &api;
  table.add(Route{
      "GET", "/template", Access::authenticated, false,
      [a](const RequestContext& ctx) { return list_templates(*a, ctx); },
      RouteDoc{"ListTemplates", "04 - template",
               "List templates by name (hidden ones for admins only)",
               page_params("name of the last template of the previous page"),
               std::nullopt,
               {{200, "the templates (without steps, variables, result_format, title_format)"},
                {400, "bad page_size or repeated parameter"},
                {401, "not authenticated"},
                {404, "`last` names no template"}},
               schemas::array_of(schemas::template_summary())}});
  table.add(Route{
      "GET", "/template/{name}", Access::authenticated, false,
      [a](const RequestContext& ctx) { return get_template(*a, ctx); },
      RouteDoc{"GetTemplate", "04 - template", "A template with its steps",
               {{"name", "path", "string", "template name (trimmed, lower-case)", true}},
               std::nullopt,
               {{200, "the template"}, {401, "not authenticated"}, {404, "unknown template"}},
               schemas::template_details()}});
  table.add(Route{
      "GET", "/function", Access::authenticated, false,
      [a](const RequestContext& ctx) { return list_functions(*a, ctx); },
      RouteDoc{"ListFunctions", "05 - function", "List functions by name",
               page_params("name of the last function of the previous page"),
               std::nullopt,
               {{200, "the functions"},
                {400, "bad page_size or repeated parameter"},
                {401, "not authenticated"}},
               schemas::array_of(schemas::function())}});
  table.add(Route{
      "GET", "/function/{name}", Access::authenticated, false,
      [a](const RequestContext& ctx) { return get_function(*a, ctx); },
      RouteDoc{"GetFunction", "05 - function", "A function",
               {{"name", "path", "string", "function name", true}},
               std::nullopt,
               {{200, "the function"}, {401, "not authenticated"}, {404, "function not found"}},
               schemas::function()}});
}

}  // namespace utask::http
