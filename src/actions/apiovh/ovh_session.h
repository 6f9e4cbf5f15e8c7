#pragma once
// What `apiovh` remembers between executions (actions.md §4 "Request construction" 3-4):
// the time delta of each endpoint (local clock − the API's GET /auth/time) and OAuth2 access
// tokens until they expire. Kept for the process lifetime (the original refetched them at
// every execution); forget_time() drops a delta so that the next call fetches it again, which
// the action does when a signed call is refused (a clock that jumped).
//
// Thread safety: every method may be called concurrently; the network calls run outside the
// lock (two executions may then both fetch, the last answer wins).

#include <atomic>
#include <chrono>
#include <map>
#include <mutex>
#include <string>

#include "actions/apiovh/ovh_client.h"
#include "model/error.h"

namespace utask::actions {

class OvhSessions {
 public:
  // The X-Ovh-Timestamp to sign with now: floor(local now − delta). Fetches the delta first
  // when unknown (GET <base>/auth/time with X-Ovh-Application; its body is the server's Unix
  // time). Errors (transient): transport failure, non-2xx, a body that is not an integer.
  Result<long long> timestamp(const OvhClient& client, const std::atomic<bool>* cancelled);
  void forget_time(const std::string& base_url);

  // A bearer token for the OAuth2 client (client-credentials grant, scope all, client id and
  // secret as HTTP Basic credentials), cached until 10 s before it expires. Errors
  // (transient): `failed to retrieve OAuth2 Access Token: <reason>`.
  Result<std::string> access_token(const OvhClient& client, const std::atomic<bool>* cancelled);

 private:
  struct Token {
    std::string value;
    std::chrono::steady_clock::time_point expires;
  };

  std::mutex mutex_;
  std::map<std::string, double> deltas_;  // base URL → seconds; guarded by mutex_
  std::map<std::string, Token> tokens_;   // token URL + client id → token; guarded by mutex_
};

}  // namespace utask::actions
