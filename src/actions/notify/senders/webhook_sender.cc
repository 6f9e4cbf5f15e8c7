#include "actions/notify/senders/webhook_sender.h"

#include "actions/notify/senders/http_post.h"
#include "model/json.h"

namespace utask::actions::notify {

WebhookSender::WebhookSender(std::string name, WebhookSettings settings)
    : name_(std::move(name)), settings_(std::move(settings)) {}

std::string webhook_payload(const NotifyMessage& message) {
  Json body{{"message", message.main}, {"notification_type", message.type}};
  for (const auto& [key, value] : message.fields) body[key] = value;
  return body.dump();
}

Result<void> WebhookSender::send(const NotifyMessage& message) const {
  HttpPost post;
  post.url = settings_.webhook_url;
  post.body = webhook_payload(message);
  // The original sets no Content-Type; actions.md recommends JSON's. Configured headers win.
  post.headers["Content-Type"] = "application/json";
  for (const auto& [k, v] : settings_.headers) post.headers[k] = v;
  post.basic_user = settings_.username;
  post.basic_password = settings_.password;
  post.timeout = settings_.timeout;
  auto answer = http_post(post, "webhook");
  if (!answer) return answer.error();
  return check_status(*answer, "webhook");
}

}  // namespace utask::actions::notify
