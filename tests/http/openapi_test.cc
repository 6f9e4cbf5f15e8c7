// /unsecured/spec.json: generated from the route table (api.md §5.8, §7), and valid for a real
// OpenAPI validator (tests/http/openapi, installed by the ctest fixture openapi_validator).

#include <gtest/gtest.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <set>

#include "http/api_fixture.h"
#include "http/openapi.h"
#include "http/routes.h"
#include "support/temp_dir.h"

namespace utask::testing {
namespace {

// api.md §7.
const std::vector<std::tuple<std::string, std::string, std::string, std::string>> kOperations{
    {"get", "/template", "ListTemplates", "04 - template"},
    {"get", "/template/{name}", "GetTemplate", "04 - template"},
    {"get", "/function", "ListFunctions", "05 - function"},
    {"get", "/function/{name}", "GetFunction", "05 - function"},
    {"post", "/batch", "BatchCreateTask", "01 - task"},
    {"post", "/task", "CreateTask", "01 - task"},
    {"get", "/task", "ListTasks", "01 - task"},
    {"get", "/task/{id}", "GetTask", "01 - task"},
    {"put", "/task/{id}", "EditTask", "01 - task"},
    {"post", "/task/{id}/wontfix", "CancelTask", "01 - task"},
    {"delete", "/task/{id}", "DeleteTask", "01 - task"},
    {"post", "/task/{id}/comment", "AddTaskComment", "03 - comment"},
    {"get", "/task/{id}/comment", "ListTaskComments", "03 - comment"},
    {"get", "/task/{id}/comment/{commentid}", "GetTaskComment", "03 - comment"},
    {"put", "/task/{id}/comment/{commentid}", "EditTaskComment", "03 - comment"},
    {"delete", "/task/{id}/comment/{commentid}", "DeleteTaskComment", "03 - comment"},
    {"post", "/resolution", "CreateTaskResolution", "02 - resolution"},
    {"get", "/resolution/{id}", "GetTaskResolution", "02 - resolution"},
    {"put", "/resolution/{id}", "EditTaskResolution", "02 - resolution"},
    {"post", "/resolution/{id}/run", "ExecuteTask", "02 - resolution"},
    {"post", "/resolution/{id}/pause", "PauseTaskExecution", "02 - resolution"},
    {"post", "/resolution/{id}/extend", "ExtendTaskResolution", "02 - resolution"},
    {"post", "/resolution/{id}/cancel", "CancelTaskResolution", "02 - resolution"},
    {"get", "/resolution/{id}/step/{stepName}", "GetTaskResolutionStep", "02 - resolution"},
    {"put", "/resolution/{id}/step/{stepName}", "EditTaskResolutionStep", "02 - resolution"},
    {"put", "/resolution/{id}/step/{stepName}/state", "EditTaskResolutionStepState", "02 - resolution"},
    {"get", "/meta", "GetMetadata", "x-misc"},
    {"post", "/key-rotate", "ReencryptData", "x-misc"},
    {"post", "/unsecured/callback/{id}", "HandleCallback", "callback"},
};

class OpenApiDocument : public ApiTest {
 protected:
  Json spec() {
    auto r = call("GET", "/unsecured/spec.json", "", Auth::none());
    EXPECT_EQ(r.status, 200);
    return r.json();
  }
};

TEST_F(OpenApiDocument, IsServedWithoutAuthenticationWithTitleVersionAndServer) {
  const Json doc = spec();
  EXPECT_EQ(doc["openapi"], "3.0.3");
  EXPECT_EQ(doc["info"]["title"], "µTask test");
  EXPECT_EQ(doc["info"]["version"], "test");
  EXPECT_EQ(doc["servers"], Json::parse(R"([{"url": "/", "description": "µTask test"}])"));
}

TEST_F(OpenApiDocument, HasTheOperationIdsAndTagsOfTheOriginal) {
  const Json doc = spec();
  for (const auto& [method, path, id, tag] : kOperations) {
    SCOPED_TRACE(method + " " + path);
    ASSERT_TRUE(doc["paths"].contains(path));
    ASSERT_TRUE(doc["paths"][path].contains(method));
    const Json& op = doc["paths"][path][method];
    EXPECT_EQ(op["operationId"], id);
    EXPECT_EQ(op["tags"], Json::array({tag}));
  }
}

TEST_F(OpenApiDocument, DescribesEveryServedRouteOnceAndNothingElse) {
  const Json doc = spec();
  std::set<std::string> documented;
  std::set<std::string> ids;
  for (const auto& [path, item] : doc["paths"].items()) {
    for (const auto& [method, op] : item.items()) {
      documented.insert(method + " " + path);
      EXPECT_TRUE(ids.insert(op["operationId"].get<std::string>()).second)
          << "duplicate operationId " << op["operationId"];
    }
  }
  std::set<std::string> served;
  const auto table = http::build_api_routes(api().api());
  for (const auto& route : table.routes()) {
    if (route.hidden_from_spec || route.bare) continue;
    std::string method = route.method;
    for (auto& c : method) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    served.insert(method + " " + route.pattern);
  }
  EXPECT_EQ(documented, served);
}

TEST_F(OpenApiDocument, SecuresAuthenticatedRoutesOnly) {
  const Json doc = spec();
  EXPECT_TRUE(doc["components"]["securitySchemes"].contains("basicAuth"));
  EXPECT_EQ(doc["components"]["securitySchemes"]["remoteUser"]["name"], "x-remote-user");
  EXPECT_EQ(doc["paths"]["/task"]["get"]["security"].size(), 2u);
  EXPECT_TRUE(doc["paths"]["/unsecured/callback/{id}"]["post"]["security"].empty());
  // Path parameters are declared and required.
  bool has_id = false;
  for (const auto& p : doc["paths"]["/task/{id}"]["get"]["parameters"]) {
    if (p["name"] == "id" && p["in"] == "path") has_id = p["required"] == true;
  }
  EXPECT_TRUE(has_id);
}

// The validator: node + @apidevtools/swagger-parser under <build>/openapi-validator.
class OpenApiValidator : public ApiTest {
 protected:
  void SetUp() override {
    if (!std::filesystem::exists(validator_dir() / "node_modules/@apidevtools/swagger-parser")) {
      GTEST_SKIP() << "the OpenAPI validator is not installed (ctest installs it: "
                      "tests/http/openapi/install.sh "
                   << validator_dir() << ")";
    }
    ApiTest::SetUp();
  }
  static std::filesystem::path validator_dir() {
    return std::filesystem::path(UTASK_BINARY_DIR) / "openapi-validator";
  }
  // Runs the validator on `document`: (exit status, output).
  std::pair<int, std::string> validate(const std::string& document) {
    const std::string file = dir_.write("spec.json", document);
    const std::string command = "node " + (validator_dir() / "validate.js").string() + " " + file + " 2>&1";
    FILE* pipe = popen(command.c_str(), "r");
    if (!pipe) return {-1, "popen failed"};
    std::string output;
    char buffer[4096];
    while (size_t n = fread(buffer, 1, sizeof buffer, pipe)) output.append(buffer, n);
    const int status = pclose(pipe);
    return {WIFEXITED(status) ? WEXITSTATUS(status) : -1, output};
  }
  TempDir dir_;
};

TEST_F(OpenApiValidator, AcceptsTheServedDocument) {
  auto r = call("GET", "/unsecured/spec.json", "", Auth::none());
  ASSERT_EQ(r.status, 200);
  const auto [status, output] = validate(r.body);
  EXPECT_EQ(status, 0) << output;
}

TEST_F(OpenApiValidator, RefusesABrokenDocument) {
  // The same document with a reference to nothing, then with a bad response code: the
  // validator must notice (so the previous test can fail).
  Json doc = call("GET", "/unsecured/spec.json", "", Auth::none()).json();
  doc["components"]["schemas"]["Error"]["properties"]["error"] =
      Json{{"$ref", "#/components/schemas/Missing"}};
  const auto [status, output] = validate(to_json_text(doc));
  EXPECT_NE(status, 0) << output;
  Json doc2 = call("GET", "/unsecured/spec.json", "", Auth::none()).json();
  doc2["paths"]["/task"]["get"]["responses"]["2000"] = Json{{"description", "bad"}};
  const auto [status2, output2] = validate(to_json_text(doc2));
  EXPECT_NE(status2, 0) << output2;
}

}  // namespace
}  // namespace utask::testing
