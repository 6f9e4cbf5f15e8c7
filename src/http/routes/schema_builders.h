#pragma once
// Building blocks of the route schemas (OpenAPI 3 Schema Objects), shared by task_schemas.cc
// and resolution_schemas.cc. Internal to src/http/routes/.

#include <initializer_list>
#include <utility>

#include "model/json.h"

namespace utask::http::schemas::build {

inline Json type(const char* t) { return Json{{"type", t}}; }
inline Json string_list() { return Json{{"type", "array"}, {"items", type("string")}}; }
inline Json string_map() { return Json{{"type", "object"}, {"additionalProperties", type("string")}}; }
inline Json any_object() { return Json{{"type", "object"}, {"additionalProperties", true}}; }
inline Json timestamp() { return Json{{"type", "string"}, {"format", "date-time"}}; }
inline Json nullable_timestamp() {
  return Json{{"type", "string"}, {"format", "date-time"}, {"nullable", true}};
}
inline Json uuid() { return Json{{"type", "string"}, {"format", "uuid"}}; }
// Any JSON value (OpenAPI 3.0 has no "any" type: an empty schema accepts everything).
inline Json any() { return Json::object(); }

inline Json object(std::initializer_list<std::pair<const char*, Json>> properties,
                   std::initializer_list<const char*> required = {}) {
  Json props = Json::object();
  for (const auto& [name, schema] : properties) props[name] = schema;
  Json out{{"type", "object"}, {"properties", std::move(props)}};
  if (required.size() > 0) {
    Json req = Json::array();
    for (const char* name : required) req.push_back(name);
    out["required"] = std::move(req);
  }
  return out;
}

// A step's action or pre-hook (api.md §6.6).
inline Json executor() {
  return object({{"type", type("string")},
                 {"base_configuration", type("string")},
                 {"configuration", any()},
                 {"output", any()},
                 {"base_output", any()}},
                {"type"});
}

}  // namespace utask::http::schemas::build
