#include "actions/notify/senders/opsgenie_sender.h"

#include <curl/curl.h>

#include "actions/notify/senders/http_post.h"
#include "model/json.h"

namespace utask::actions::notify {
namespace {

std::string url_escape(const std::string& s) {
  char* escaped = curl_easy_escape(nullptr, s.data(), static_cast<int>(s.size()));
  std::string out = escaped ? escaped : "";
  curl_free(escaped);
  return out;
}

Json fields_json(const NotifyMessage& message) {
  Json fields = Json::object();
  for (const auto& [k, v] : message.fields) fields[k] = v;
  return fields;
}

}  // namespace

std::optional<std::string> opsgenie_zone_url(std::string_view zone) {
  if (zone == "global") return "https://api.opsgenie.com";
  if (zone == "eu") return "https://api.eu.opsgenie.com";
  if (zone == "sandbox") return "https://api.sandbox.opsgenie.com";
  return std::nullopt;
}

OpsgenieSender::OpsgenieSender(std::string name, std::string base_url, std::string api_key,
                               std::chrono::milliseconds timeout)
    : name_(std::move(name)),
      base_url_(std::move(base_url)),
      api_key_(std::move(api_key)),
      timeout_(timeout) {}

std::string opsgenie_create_payload(const NotifyMessage& message) {
  Json fields = fields_json(message);
  return Json{{"message", message.main},
              {"description", message.main},
              {"alias", message.field("task_id")},
              {"details", fields},
              {"note", fields.dump()}}
      .dump();
}

Result<void> OpsgenieSender::send(const NotifyMessage& message) const {
  HttpPost post;
  post.headers["Content-Type"] = "application/json";
  post.headers["Authorization"] = "GenieKey " + api_key_;
  post.timeout = timeout_;
  if (message.field("state") == "DONE") {
    post.url = base_url_ + "/v2/alerts/" + url_escape(message.field("task_id")) +
               "/close?identifierType=alias";
    post.body = "{}";
  } else {
    if (message.main.empty()) return Error::invalid_input("opsgenie: message can not be empty");
    post.url = base_url_ + "/v2/alerts";
    post.body = opsgenie_create_payload(message);
  }
  auto answer = http_post(post, "opsgenie");
  if (!answer) return answer.error();
  return check_status(*answer, "opsgenie");
}

}  // namespace utask::actions::notify
