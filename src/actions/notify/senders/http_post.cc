#include "actions/notify/senders/http_post.h"

#include <curl/curl.h>

#include <memory>
#include <mutex>

namespace utask::actions::notify {
namespace {

size_t append_body(char* data, size_t size, size_t count, void* user) {
  static_cast<std::string*>(user)->append(data, size * count);
  return size * count;
}

struct CurlFree {
  void operator()(CURL* c) const { curl_easy_cleanup(c); }
};
struct SlistFree {
  void operator()(curl_slist* l) const { curl_slist_free_all(l); }
};

constexpr size_t kQuotedBody = 512;

}  // namespace

Result<HttpAnswer> http_post(const HttpPost& request, const std::string& what) {
  // curl_easy_init() initialises libcurl on first use, which is not safe from several threads
  // at once: the dispatcher's workers start together.
  static std::once_flag global_init;
  std::call_once(global_init, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
  std::unique_ptr<CURL, CurlFree> curl(curl_easy_init());
  if (!curl) return Error::internal(what + ": cannot initialise libcurl");
  std::unique_ptr<curl_slist, SlistFree> headers;
  for (const auto& [name, value] : request.headers) {
    headers.reset(curl_slist_append(headers.release(), (name + ": " + value).c_str()));
  }
  HttpAnswer answer;
  CURL* c = curl.get();
  curl_easy_setopt(c, CURLOPT_URL, request.url.c_str());
  curl_easy_setopt(c, CURLOPT_POST, 1L);
  curl_easy_setopt(c, CURLOPT_POSTFIELDS, request.body.data());
  curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(request.body.size()));
  curl_easy_setopt(c, CURLOPT_HTTPHEADER, headers.get());
  curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, static_cast<long>(request.timeout.count()));
  curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https");
  curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, append_body);
  curl_easy_setopt(c, CURLOPT_WRITEDATA, &answer.body);
  if (!request.ca_file.empty()) curl_easy_setopt(c, CURLOPT_CAINFO, request.ca_file.c_str());
  if (!request.basic_user.empty() && !request.basic_password.empty()) {
    curl_easy_setopt(c, CURLOPT_HTTPAUTH, CURLAUTH_BASIC);
    curl_easy_setopt(c, CURLOPT_USERNAME, request.basic_user.c_str());
    curl_easy_setopt(c, CURLOPT_PASSWORD, request.basic_password.c_str());
  }
  const CURLcode rc = curl_easy_perform(c);
  if (rc != CURLE_OK) {
    return Error{ErrorCode::transient, what + ": " + curl_easy_strerror(rc), {}};
  }
  curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &answer.status);
  return answer;
}

Result<void> check_status(const HttpAnswer& answer, const std::string& what) {
  if (answer.status >= 200 && answer.status < 300) return {};
  std::string body = answer.body.substr(0, kQuotedBody);
  std::string message = what + ": status " + std::to_string(answer.status) + ": " + body;
  if (answer.status >= 400 && answer.status < 500) return Error::invalid_input(std::move(message));
  return Error{ErrorCode::transient, std::move(message), {}};
}

}  // namespace utask::actions::notify
