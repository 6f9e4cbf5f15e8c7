#pragma once
// `http` (actions.md §3): one HTTP request; the response becomes output and metadata
// (actions.md §2, http_response.h), its status the error kind.

#include "actions/action.h"

namespace utask::actions {

class HttpAction final : public Action {
 public:
  std::string_view name() const override { return "http"; }
  std::string_view version() const override { return "1.0"; }

  // Decoding and the load-time rules of http_config.h (methods, url/host, headers, query
  // parameters, exclusive authentications); templated values are checked once rendered.
  Result<void> validate(const Json& base, const Json& configuration) const override;

  // `socket`, plus `url:<host[:port]>` of url (or host) when it has an authority.
  std::vector<std::string> resources(const Json& configuration) const override;

  // Errors: a rule broken by a rendered value or an unparsable timeout / boolean / TLS PEM →
  // client; transport failures (`can't do HTTP request: ...`), 3xx not followed, 5xx →
  // server; 4xx → client; cancellation → not provisioned (`interrupted`). Output and
  // metadata are kept with status errors.
  ActionResult execute(const ExecutionRequest& request) const override;
};

}  // namespace utask::actions
