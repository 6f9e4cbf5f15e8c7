#include "model/json_schema.h"

#include "model/json_schema_internal.h"

namespace utask::model {
namespace {

constexpr const char* kDraft04 = "http://json-schema.org/draft-04/schema#";
constexpr const char* kDraft06 = "http://json-schema.org/draft-06/schema#";
constexpr const char* kDraft07 = "http://json-schema.org/draft-07/schema#";

}  // namespace

Json normalize_json_schema(Json schema) {
  if (!schema.is_object() || schema.contains("$schema")) return schema;
  const char* uri = kDraft07;
  if (auto version = schema.find("version"); version != schema.end()) {
    if (version->is_number() && *version == 6) uri = kDraft06;
    if (version->is_number() && *version == 4) uri = kDraft04;
    schema.erase(version);
  }
  schema["$schema"] = uri;
  return schema;
}

namespace json_schema_detail {

std::optional<Draft> draft_from_uri(const std::string& uri) {
  std::string u = uri;
  if (u.ends_with("#")) u.pop_back();
  if (u.starts_with("https://")) u.erase(4, 1);
  if (u == "http://json-schema.org/draft-04/schema") return Draft::v4;
  if (u == "http://json-schema.org/draft-06/schema") return Draft::v6;
  if (u == "http://json-schema.org/draft-07/schema") return Draft::v7;
  return std::nullopt;
}

}  // namespace json_schema_detail

using json_schema_detail::Compiled;
using json_schema_detail::Draft;

JsonSchema::JsonSchema(std::shared_ptr<const Compiled> compiled) : compiled_(std::move(compiled)) {}

Result<JsonSchema> JsonSchema::compile(const Json& schema) {
  auto compiled = std::make_shared<Compiled>();
  compiled->document = schema;
  if (schema.is_object()) {
    if (auto uri = schema.find("$schema"); uri != schema.end()) {
      if (!uri->is_string()) {
        return Error::invalid_template("keyword \"$schema\" at #: must be a string", "#/$schema");
      }
      auto draft = json_schema_detail::draft_from_uri(uri->get<std::string>());
      if (!draft) {
        return Error::invalid_template("keyword \"$schema\" at #: unknown meta-schema \"" +
                                           uri->get<std::string>() +
                                           "\" (draft-04, draft-06 and draft-07 are supported)",
                                       "#/$schema");
      }
      compiled->draft = *draft;
    }
  } else if (!schema.is_boolean()) {
    return Error::invalid_template("schema at # must be an object or a boolean", "#");
  }
  if (auto r = json_schema_detail::compile_nodes(*compiled); !r) return r.error();
  return JsonSchema(std::move(compiled));
}

std::vector<std::string> JsonSchema::validate(const Json& instance) const {
  return json_schema_detail::validate_instance(*compiled_, instance);
}

const Json& JsonSchema::document() const { return compiled_->document; }

}  // namespace utask::model
