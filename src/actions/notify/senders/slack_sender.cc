#include "actions/notify/senders/slack_sender.h"

#include <cctype>

#include "actions/notify/senders/http_post.h"
#include "model/json.h"

namespace utask::actions::notify {

SlackSender::SlackSender(std::string name, std::string webhook_url,
                         std::chrono::milliseconds timeout)
    : name_(std::move(name)), webhook_url_(std::move(webhook_url)), timeout_(timeout) {}

std::string slack_field_title(const std::string& key) {
  std::string out;
  bool word_start = true;
  for (char c : key) {
    if (c == '_') {
      out += ' ';
      word_start = true;
      continue;
    }
    out += word_start ? static_cast<char>(std::toupper(static_cast<unsigned char>(c))) : c;
    word_start = false;
  }
  return out;
}

std::string slack_payload(const NotifyMessage& message, const std::string& backend_name) {
  Json blocks = Json::array();
  blocks.push_back({{"type", "section"}, {"text", {{"type", "mrkdwn"}, {"text", message.main}}}});
  Json fields = Json::array();
  for (const auto& [key, value] : message.fields) {
    if (value.empty()) continue;
    fields.push_back({{"type", "mrkdwn"}, {"text", "*" + slack_field_title(key) + ":*\n" + value}});
  }
  if (!fields.empty()) blocks.push_back({{"type", "section"}, {"fields", std::move(fields)}});
  blocks.push_back({{"type", "divider"}});
  blocks.push_back(
      {{"type", "context"},
       {"elements", Json::array({{{"type", "mrkdwn"}, {"text", "🚀 Sent from " + backend_name}}})}});
  return Json{{"blocks", std::move(blocks)}}.dump();
}

Result<void> SlackSender::send(const NotifyMessage& message) const {
  HttpPost post;
  post.url = webhook_url_;
  post.body = slack_payload(message, name_);
  post.headers["Content-Type"] = "application/json";
  post.timeout = timeout_;
  auto answer = http_post(post, "slack");
  if (!answer) return answer.error();
  if (auto status = check_status(*answer, "slack"); !status) return status;
  if (answer->body != "ok") {
    return Error::invalid_input("non-ok response returned from Slack: " + answer->body.substr(0, 512));
  }
  return {};
}

}  // namespace utask::actions::notify
