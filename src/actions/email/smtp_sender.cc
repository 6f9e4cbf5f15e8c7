#include "actions/email/smtp_sender.h"

#include <curl/curl.h>

#include <algorithm>
#include <array>
#include <cstring>
#include <memory>
#include <mutex>

namespace utask::actions {
namespace {

struct Reader {
  const std::string* text;
  size_t offset = 0;
};

size_t read_message(char* buffer, size_t size, size_t count, void* user) {
  auto* r = static_cast<Reader*>(user);
  const size_t n = std::min(size * count, r->text->size() - r->offset);
  std::memcpy(buffer, r->text->data() + r->offset, n);
  r->offset += n;
  return n;
}

int progress(void* user, curl_off_t, curl_off_t, curl_off_t, curl_off_t) {
  const auto* cancelled = static_cast<const std::atomic<bool>*>(user);
  return cancelled != nullptr && cancelled->load(std::memory_order_relaxed) ? 1 : 0;
}

bool is_local(const std::string& host) {
  return host == "localhost" || host == "127.0.0.1" || host == "::1";
}

std::string url_host(const std::string& host) {
  return host.find(':') != std::string::npos ? "[" + host + "]" : host;
}

}  // namespace

SmtpOutcome send_smtp(const SmtpDelivery& d) {
  static std::once_flag init;  // curl_global_init is not thread-safe; it is reference-counted
  std::call_once(init, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
  std::unique_ptr<CURL, decltype(&curl_easy_cleanup)> curl(curl_easy_init(), curl_easy_cleanup);
  if (!curl) return {false, "cannot create a curl handle"};
  CURL* h = curl.get();
  const std::string scheme = d.port == 465 ? "smtps://" : "smtp://";
  const std::string url = scheme + url_host(d.hostname) + ":" + std::to_string(d.port);
  curl_easy_setopt(h, CURLOPT_URL, url.c_str());
  curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT_MS, static_cast<long>(d.timeout.count()));
  curl_easy_setopt(h, CURLOPT_TIMEOUT_MS, static_cast<long>(d.timeout.count()));
  const bool credentials = !d.username.empty();
  curl_easy_setopt(h, CURLOPT_USE_SSL,
                   credentials && !is_local(d.hostname) ? static_cast<long>(CURLUSESSL_ALL)
                                                        : static_cast<long>(CURLUSESSL_TRY));
  curl_easy_setopt(h, CURLOPT_SSL_VERIFYPEER, d.skip_tls_verify ? 0L : 1L);
  curl_easy_setopt(h, CURLOPT_SSL_VERIFYHOST, d.skip_tls_verify ? 0L : 2L);
  if (!d.ca_file.empty()) curl_easy_setopt(h, CURLOPT_CAINFO, d.ca_file.c_str());
  if (credentials) {
    curl_easy_setopt(h, CURLOPT_USERNAME, d.username.c_str());
    curl_easy_setopt(h, CURLOPT_PASSWORD, d.password.c_str());
    curl_easy_setopt(h, CURLOPT_LOGIN_OPTIONS, "AUTH=CRAM-MD5;AUTH=LOGIN;AUTH=PLAIN");
  }
  const std::string from = "<" + d.envelope_from + ">";
  curl_easy_setopt(h, CURLOPT_MAIL_FROM, from.c_str());
  std::unique_ptr<curl_slist, decltype(&curl_slist_free_all)> rcpt(nullptr, curl_slist_free_all);
  for (const auto& to : d.envelope_to) {
    curl_slist* next = curl_slist_append(rcpt.get(), ("<" + to + ">").c_str());
    if (next == nullptr) return {false, "out of memory"};
    rcpt.release();
    rcpt.reset(next);
  }
  curl_easy_setopt(h, CURLOPT_MAIL_RCPT, rcpt.get());
  Reader reader{&d.message};
  curl_easy_setopt(h, CURLOPT_READFUNCTION, read_message);
  curl_easy_setopt(h, CURLOPT_READDATA, &reader);
  curl_easy_setopt(h, CURLOPT_UPLOAD, 1L);
  curl_easy_setopt(h, CURLOPT_NOPROGRESS, 0L);
  curl_easy_setopt(h, CURLOPT_XFERINFOFUNCTION, progress);
  curl_easy_setopt(h, CURLOPT_XFERINFODATA, const_cast<std::atomic<bool>*>(d.cancelled));
  std::array<char, CURL_ERROR_SIZE> error{};
  curl_easy_setopt(h, CURLOPT_ERRORBUFFER, error.data());

  const CURLcode rc = curl_easy_perform(h);
  if (rc == CURLE_OK) return {};
  if (rc == CURLE_ABORTED_BY_CALLBACK) return {true, "interrupted"};
  std::string text = error[0] != '\0' ? std::string(error.data()) : curl_easy_strerror(rc);
  return {false, text};
}

}  // namespace utask::actions
