#pragma once
// One configured notification backend (notify-config entry, actions.md §8.1): it knows how to
// deliver a NotifyMessage to its service. Implementations: slack_sender.h, webhook_sender.h,
// opsgenie_sender.h.
//
// Thread safety: send() is called concurrently from the dispatcher's workers; implementations
// keep no per-call state in members.

#include <string>
#include <string_view>

#include "actions/notify/senders/notify_message.h"
#include "model/error.h"

namespace utask::actions::notify {

class Sender {
 public:
  virtual ~Sender() = default;
  virtual const std::string& name() const = 0;  // the notify-config key
  virtual std::string_view type() const = 0;    // slack, webhook or opsgenie

  // Delivers `message`, blocking up to the backend's timeout. Errors: transient (the peer
  // could not be reached, timed out, or answered 5xx), invalid_input (the peer refused the
  // message: 4xx, a Slack answer other than `ok`, an empty Opsgenie message). Messages never
  // hold the backend's secrets (URL tokens, keys, passwords); they may quote the peer's
  // response body.
  virtual Result<void> send(const NotifyMessage& message) const = 0;
};

}  // namespace utask::actions::notify
