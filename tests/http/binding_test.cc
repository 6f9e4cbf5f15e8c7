// Request binding (api.md §1.2, §1.3), the error → status mapping (§1.6) and the paging
// headers (§1.7).

#include <gtest/gtest.h>

#include "http/binding.h"

namespace utask::http {
namespace {

HttpRequest with_body(std::string body) {
  HttpRequest r;
  r.method = "POST";
  r.body = std::move(body);
  return r;
}

HttpRequest with_query(std::vector<std::pair<std::string, std::string>> query) {
  HttpRequest r;
  r.method = "GET";
  r.query = std::move(query);
  return r;
}

constexpr const char* kBodyError = "binding error: error parsing request body: ";

TEST(BindBody, EmptyBodyIsAnEmptyObject) {
  for (const char* body : {"", "  \n", "null", "~"}) {
    auto b = bind_body(with_body(body));
    ASSERT_TRUE(b.ok()) << body;
    EXPECT_EQ(*b, Json::object()) << body;
  }
}

TEST(BindBody, JsonAndYamlBodiesGiveTheSameObject) {
  auto json = bind_body(with_body(R"({"a": 1, "b": [true, "x"], "big": 12345678901234567890})"));
  auto yaml = bind_body(with_body("a: 1\nb: [yes, x]\nbig: 12345678901234567890\n"));
  ASSERT_TRUE(json.ok()) << json.error().message;
  ASSERT_TRUE(yaml.ok()) << yaml.error().message;
  EXPECT_EQ(to_json_text(*json), to_json_text(*yaml));
  EXPECT_EQ(to_json_text((*json)["big"]), "12345678901234567890");
}

TEST(BindBody, MalformedOrNonObjectBodiesAreBindingErrors) {
  for (const char* body : {"{\"a\": ", "[1, 2]", "\"text\"", "42", "a: [1, 2", "{\"a\": 1} trailing"}) {
    auto b = bind_body(with_body(body));
    ASSERT_FALSE(b.ok()) << body;
    EXPECT_EQ(b.error().code, ErrorCode::invalid_input) << body;
    EXPECT_EQ(b.error().message.rfind(kBodyError, 0), 0u) << b.error().message;
  }
}

TEST(BodyFields, StringsCoerceScalarsAndRefuseCollections) {
  const Json body = Json::parse(R"({"s": "x", "n": 42, "f": 1.5, "b": true, "o": {}, "a": [], "z": null})");
  EXPECT_EQ(body_string(body, "s")->value(), "x");
  EXPECT_EQ(body_string(body, "n")->value(), "42");
  EXPECT_EQ(body_string(body, "f")->value(), "1.5");
  EXPECT_EQ(body_string(body, "b")->value(), "true");
  EXPECT_FALSE(body_string(body, "z")->has_value());
  EXPECT_FALSE(body_string(body, "missing")->has_value());
  for (const char* field : {"o", "a"}) {
    auto r = body_string(body, field);
    ASSERT_FALSE(r.ok()) << field;
    EXPECT_NE(r.error().message.find(std::string("'") + field + "'"), std::string::npos);
    EXPECT_EQ(r.error().message.rfind(kBodyError, 0), 0u);
  }
}

TEST(BodyFields, ListsMapsObjectsAndBooleans) {
  const Json body = Json::parse(
      R"({"l": ["a", 1, false], "bad_l": "a", "nested_l": [[1]], "m": {"k": "v", "n": 2},
          "bad_m": {"k": {}}, "o": {"x": 1}, "bad_o": [1], "t": true, "bad_t": "true"})");
  EXPECT_EQ(*body_string_list(body, "l"), (std::vector<std::string>{"a", "1", "false"}));
  EXPECT_TRUE(body_string_list(body, "missing")->empty());
  EXPECT_FALSE(body_string_list(body, "bad_l").ok());
  EXPECT_FALSE(body_string_list(body, "nested_l").ok());
  EXPECT_EQ(*body_string_map(body, "m"), (std::map<std::string, std::string>{{"k", "v"}, {"n", "2"}}));
  EXPECT_FALSE(body_string_map(body, "bad_m").ok());
  EXPECT_EQ(body_object(body, "o")->value(), Json::parse(R"({"x": 1})"));
  EXPECT_FALSE(body_object(body, "bad_o").ok());
  EXPECT_TRUE(body_bool(body, "t")->value());
  EXPECT_FALSE(body_bool(body, "bad_t").ok());
  EXPECT_FALSE(body_bool(body, "missing")->has_value());
}

struct QueryCase {
  std::string kind;  // uint64, bool, time
  std::vector<std::string> values;
  bool ok;
  std::string expected;  // the value's text when ok, the message's start otherwise
};

class QueryParams : public ::testing::TestWithParam<QueryCase> {};

TEST_P(QueryParams, ConvertOrNameTheProblem) {
  const auto& c = GetParam();
  std::vector<std::pair<std::string, std::string>> query;
  for (const auto& v : c.values) query.emplace_back("p", v);
  const auto request = with_query(query);
  std::string text;
  std::optional<Error> error;
  if (c.kind == "uint64") {
    auto r = query_uint64(request, "p");
    if (r) text = *r ? std::to_string(**r) : "absent";
    else error = r.error();
  } else if (c.kind == "bool") {
    auto r = query_bool(request, "p");
    if (r) text = *r ? (**r ? "true" : "false") : "absent";
    else error = r.error();
  } else {
    auto r = query_time(request, "p");
    if (r) text = *r ? std::to_string((*r)->time_since_epoch().count()) : "absent";
    else error = r.error();
  }
  if (c.ok) {
    ASSERT_FALSE(error.has_value()) << error->message;
    EXPECT_EQ(text, c.expected);
  } else {
    ASSERT_TRUE(error.has_value()) << text;
    EXPECT_EQ(error->code, ErrorCode::invalid_input);
    EXPECT_EQ(error->message.rfind(c.expected, 0), 0u) << error->message;
  }
}

INSTANTIATE_TEST_SUITE_P(
    Cases, QueryParams,
    ::testing::Values(
        QueryCase{"uint64", {}, true, "absent"}, QueryCase{"uint64", {"20"}, true, "20"},
        QueryCase{"uint64", {""}, true, "0"},
        QueryCase{"uint64", {"18446744073709551615"}, true, "18446744073709551615"},
        QueryCase{"uint64", {"-1"}, false, "expected 'p' to be of type uint64"},
        QueryCase{"uint64", {"12x"}, false, "expected 'p' to be of type uint64"},
        QueryCase{"uint64", {"18446744073709551616"}, false, "expected 'p' to be of type uint64"},
        QueryCase{"uint64", {"1", "2"}, false, "binding error on query parameter 'p'"},
        QueryCase{"bool", {"T"}, true, "true"}, QueryCase{"bool", {"True"}, true, "true"},
        QueryCase{"bool", {"1"}, true, "true"}, QueryCase{"bool", {"FALSE"}, true, "false"},
        QueryCase{"bool", {"f"}, true, "false"},
        QueryCase{"bool", {"yes"}, false, "expected 'p' to be of type bool"},
        QueryCase{"bool", {"tRUE"}, false, "expected 'p' to be of type bool"},
        QueryCase{"time", {"2024-03-01T10:22:33Z"}, true, "1709288553000000"},
        QueryCase{"time", {"2024-03-01T11:22:33.5+01:00"}, true, "1709288553500000"},
        QueryCase{"time", {"2024-03-01T10:22:33"}, false, "expected 'p' to be of type struct"},
        QueryCase{"time", {"yesterday"}, false, "expected 'p' to be of type struct"}));

TEST(QueryList, KeepsEveryNonEmptyValueInOrder) {
  const auto request = with_query({{"tag", "a=1"}, {"x", "y"}, {"tag", ""}, {"tag", "b=2"}});
  EXPECT_EQ(query_list(request, "tag"), (std::vector<std::string>{"a=1", "b=2"}));
  EXPECT_TRUE(query_list(request, "none").empty());
}

TEST(ErrorResponse, MapsCodesToStatuses) {
  const std::vector<std::pair<ErrorCode, int>> table{
      {ErrorCode::invalid_input, 400}, {ErrorCode::invalid_template, 400},
      {ErrorCode::invalid_config, 400}, {ErrorCode::conflict, 400},
      {ErrorCode::unauthorized, 401},  {ErrorCode::forbidden, 403},
      {ErrorCode::not_found, 404},     {ErrorCode::transient, 500},
      {ErrorCode::internal, 500},      {ErrorCode::lease_lost, 500}};
  for (const auto& [code, status] : table) {
    const auto r = error_response(Error{code, "secret detail", {}});
    EXPECT_EQ(r.status, status) << to_string(code);
    if (status == 401) EXPECT_EQ(r.body, "");
    else if (status == 500) EXPECT_EQ(r.body.find("secret detail"), std::string::npos);
    else EXPECT_EQ(r.body, R"({"error":"secret detail"})");
  }
}

TEST(PagingHeaders, LinkOnlyOnAFullPageWithSortedEncodedQuery) {
  HttpResponse full;
  add_paging_headers(full, "/task", 2, 2,
                     {{"type", "own"}, {"last", "id 1"}, {"page_size", "2"}, {"tag", "a=b&c"}});
  EXPECT_EQ(full.headers["X-Paging-PageSize"], "2");
  EXPECT_EQ(full.headers["Link"], "</task?last=id+1&page_size=2&tag=a%3Db%26c&type=own>; rel=next");
  HttpResponse partial;
  add_paging_headers(partial, "/task", 2, 1, {{"type", "own"}});
  EXPECT_EQ(partial.headers["X-Paging-PageSize"], "2");
  EXPECT_EQ(partial.headers.count("Link"), 0u);
}

}  // namespace
}  // namespace utask::http
