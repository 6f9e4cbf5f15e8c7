#pragma once
// `apiovh` (actions.md §4): a call to OVHcloud's API signed with credentials of the
// configuration items (`.config.<credentials>`), legacy application-key signature or OAuth2.
// The response is handled as http's (http_response.h).
//
// The configuration items are given at construction (BuiltinOptions::config_items): load-time
// validation reads the named item, as the original reads its configstore.

#include <memory>

#include "actions/action.h"
#include "actions/apiovh/ovh_client.h"

namespace utask::actions {

class OvhSessions;

class ApiOvhAction final : public Action {
 public:
  // `endpoints`: the endpoint names credentials may use (tests add loopback ones).
  explicit ApiOvhAction(Json config_items, OvhEndpoints endpoints = default_ovh_endpoints());
  ~ApiOvhAction() override;

  std::string_view name() const override { return "apiovh"; }
  std::string_view version() const override { return "0.6"; }

  // method GET/POST/PUT/DELETE (`unknown method for gw runner: "<m>"`, templates not
  // tolerated); a literal `credentials` must name a readable item from which a client can be
  // made; a templated one must parse (`failed to parse credentials template: <e>`).
  Result<void> validate(const Json& base, const Json& configuration) const override;

  // `socket`, plus `url:<api host>` when the credentials item can be read.
  std::vector<std::string> resources(const Json& configuration) const override;

  // {HTTPStatus: integer, HTTPHeaders: {x-ovh-queryid: string}} (the original's schema).
  std::optional<Json> metadata_schema() const override;

  // Errors: bad method or undecodable configuration → client; missing/unreadable credentials,
  // invalid JSON body (`can't unmarshal body: ...`), /auth/time or token failure (`can't create
  // new request: ...`), transport failure (`can't execute request: ...`), non-2xx-non-4xx →
  // server; 4xx → client; cancellation → not provisioned.
  ActionResult execute(const ExecutionRequest& request) const override;

 private:
  Json config_items_;
  OvhEndpoints endpoints_;
  std::shared_ptr<OvhSessions> sessions_;  // time deltas and tokens; synchronised inside
};

}  // namespace utask::actions
