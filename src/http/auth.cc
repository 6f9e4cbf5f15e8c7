#include "http/auth.h"

#include <sodium.h>

#include <memory>
#include <utility>

namespace utask::http {
namespace {

Error unauthorized(std::string message) {
  return Error{ErrorCode::unauthorized, std::move(message), {}};
}

// Equal length and content, in time independent of where they differ.
bool same_bytes(const std::string& a, const std::string& b) {
  return a.size() == b.size() && sodium_memcmp(a.data(), b.data(), a.size()) == 0;
}

}  // namespace

std::string basic_authorization(const std::string& user, const std::string& password) {
  const std::string credentials = user + ":" + password;
  const size_t size = sodium_base64_encoded_len(credentials.size(), sodium_base64_VARIANT_ORIGINAL);
  std::string encoded(size, '\0');
  sodium_bin2base64(encoded.data(), encoded.size(),
                    reinterpret_cast<const unsigned char*>(credentials.data()), credentials.size(),
                    sodium_base64_VARIANT_ORIGINAL);
  encoded.resize(encoded.size() - 1);  // the terminating NUL
  return "Basic " + encoded;
}

IdentityProvider default_identity_provider(config::BasicAuth basic_auth,
                                           config::GroupsAuth groups_auth) {
  // The accepted Authorization values, computed once: (header, user).
  auto accepted = std::make_shared<std::vector<std::pair<std::string, std::string>>>();
  for (const auto& [user, password] : basic_auth) {
    accepted->emplace_back(basic_authorization(user, password), user);
  }
  auto groups = std::make_shared<const config::GroupsAuth>(std::move(groups_auth));
  return [accepted, groups](const HttpRequest& request) -> Result<Identity> {
    if (!accepted->empty()) {
      const std::string* header = request.header("Authorization");
      if (!header) return unauthorized("User not found");
      for (const auto& [value, user] : *accepted) {
        if (same_bytes(*header, value)) return Identity{user, config::groups_of(*groups, user)};
      }
      return unauthorized("User not found");
    }
    const std::string* user = request.header("x-remote-user");
    if (!user || user->empty()) return unauthorized("No identity: the x-remote-user header is missing");
    return Identity{*user, config::groups_of(*groups, *user)};
  };
}

Authenticator::Authenticator(IdentityProvider provider, std::vector<std::string> admin_usernames,
                             std::vector<std::string> admin_groups)
    : provider_(std::move(provider)),
      admin_usernames_(std::move(admin_usernames)),
      admin_groups_(std::move(admin_groups)) {}

void Authenticator::install_provider(IdentityProvider provider) { provider_ = std::move(provider); }

Result<service::Caller> Authenticator::authenticate(const HttpRequest& request) const {
  if (!provider_) return unauthorized("no identity provider");
  auto identity = provider_(request);
  if (!identity) return identity.error();
  return service::make_caller(std::move(identity->username), std::move(identity->groups),
                              admin_usernames_, admin_groups_);
}

}  // namespace utask::http
