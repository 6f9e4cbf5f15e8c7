#pragma once
// Generic webhook (actions.md §8.1 `webhook`): a flat JSON object of strings POSTed to a URL
// with configured headers and optional HTTP Basic auth (the password is the secret).

#include <chrono>
#include <map>

#include "actions/notify/senders/sender.h"

namespace utask::actions::notify {

struct WebhookSettings {
  std::string webhook_url;
  std::map<std::string, std::string> headers;
  std::string username;  // Basic auth when both are non-empty
  std::string password;
  std::chrono::milliseconds timeout{std::chrono::seconds(10)};
};

class WebhookSender final : public Sender {
 public:
  WebhookSender(std::string name, WebhookSettings settings);
  const std::string& name() const override { return name_; }
  std::string_view type() const override { return "webhook"; }
  // Status ≥ 400 fails quoting the response body (4xx invalid_input, 5xx transient).
  Result<void> send(const NotifyMessage& message) const override;

 private:
  std::string name_;
  WebhookSettings settings_;
};

// `{"message": main, "notification_type": type, <field>: <value>…}`; fields are written last
// and may overwrite the first two (as the original).
std::string webhook_payload(const NotifyMessage& message);

}  // namespace utask::actions::notify
