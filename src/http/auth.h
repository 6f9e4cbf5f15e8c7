#pragma once
// The identity provider of api.md §2: who is calling, from the request alone. The default one
// reads `basic-auth` (the whole Authorization header compared exactly) or, without basic-auth
// users, the trusted `x-remote-user` header; groups come from `groups-auth`. Init plugins may
// install their own provider (the last installed wins). Admin membership is decided once per
// request by service::make_caller.
//
// A provider's error becomes a 401 with an empty body; ErrorCode::unauthorized adds
// `WWW-Authenticate: Basic realm="Authorization Required"`, any other code does not.
//
// Thread safety: install providers before the server starts; authenticate() is then called
// concurrently from request threads.

#include <functional>
#include <string>
#include <vector>

#include "config/auth_items.h"
#include "http/http_message.h"
#include "model/error.h"
#include "service/authorization.h"

namespace utask::http {

struct Identity {
  std::string username;
  std::vector<std::string> groups;
};

using IdentityProvider = std::function<Result<Identity>(const HttpRequest&)>;

// The default provider of api.md §2.1. Unlike the original, a request without any identity
// (no basic-auth users and no or an empty `x-remote-user`) is refused (DECISIONS.md).
IdentityProvider default_identity_provider(config::BasicAuth basic_auth,
                                           config::GroupsAuth groups_auth);

// `Basic ` + standard Base64 (padded) of `user:password`.
std::string basic_authorization(const std::string& user, const std::string& password);

class Authenticator {
 public:
  Authenticator(IdentityProvider provider, std::vector<std::string> admin_usernames,
                std::vector<std::string> admin_groups);

  // The init-plugin hook: replaces the provider.
  void install_provider(IdentityProvider provider);

  // The caller of `request`, admin decided from the admin lists; the provider's error as is.
  Result<service::Caller> authenticate(const HttpRequest& request) const;

 private:
  IdentityProvider provider_;
  std::vector<std::string> admin_usernames_;
  std::vector<std::string> admin_groups_;
};

}  // namespace utask::http
