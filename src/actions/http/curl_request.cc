#include "actions/http/curl_request.h"

#include <curl/curl.h>
#include <openssl/bio.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>

#include <algorithm>
#include <cctype>
#include <memory>
#include <mutex>

namespace utask::actions {
namespace {

bool iequals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(a[i])) != std::tolower(static_cast<unsigned char>(b[i]))) return false;
  }
  return true;
}

bool has_header(const HttpHeaders& headers, std::string_view name) {
  for (const auto& h : headers) {
    if (iequals(h.first, name)) return true;
  }
  return false;
}

// Go's url.Error operation: "Get", "Post", "Delete"...
std::string operation(const std::string& method) {
  std::string op;
  for (size_t i = 0; i < method.size(); ++i) {
    const auto c = static_cast<unsigned char>(method[i]);
    op += static_cast<char>(i == 0 ? std::toupper(c) : std::tolower(c));
  }
  return op;
}

std::string scheme_of(const std::string& url) {
  auto pos = url.find("://");
  if (pos == std::string::npos) return "";
  std::string scheme = url.substr(0, pos);
  for (char c : scheme) {
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '+' && c != '-' && c != '.') return "";
  }
  for (auto& c : scheme) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return scheme;
}

// The host name of an absolute URL, lower-cased, without user info nor port.
std::string hostname_of(const std::string& url) {
  auto start = url.find("://");
  if (start == std::string::npos) return "";
  start += 3;
  auto end = url.find_first_of("/?#", start);
  std::string authority = url.substr(start, end == std::string::npos ? std::string::npos : end - start);
  if (auto at = authority.rfind('@'); at != std::string::npos) authority.erase(0, at + 1);
  if (!authority.empty() && authority[0] == '[') {
    authority = authority.substr(0, authority.find(']') + 1);
  } else if (auto colon = authority.find(':'); colon != std::string::npos) {
    authority.erase(colon);
  }
  for (auto& c : authority) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return authority;
}

// Go's shouldCopyHeaderOnRedirect: the same host or one of its subdomains.
bool same_site(const std::string& from, const std::string& to) {
  const std::string a = hostname_of(from), b = hostname_of(to);
  if (a == b) return true;
  return b.size() > a.size() && b.compare(b.size() - a.size(), a.size(), a) == 0 &&
         b[b.size() - a.size() - 1] == '.';
}

void global_init() {
  static std::once_flag once;
  std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
}

struct Exchange {
  CurlResponse response;
  const std::atomic<bool>* cancelled = nullptr;
};

size_t on_body(char* data, size_t size, size_t n, void* user) {
  static_cast<Exchange*>(user)->response.body.append(data, size * n);
  return size * n;
}

// Keeps the headers of the last response only (interim 1xx, digest challenges and
// redirects reset the list).
size_t on_header(char* data, size_t size, size_t n, void* user) {
  auto& headers = static_cast<Exchange*>(user)->response.headers;
  std::string_view line(data, size * n);
  while (!line.empty() && (line.back() == '\n' || line.back() == '\r')) line.remove_suffix(1);
  if (line.rfind("HTTP/", 0) == 0) {
    headers.clear();
  } else if (auto colon = line.find(':'); colon != std::string_view::npos && colon > 0) {
    std::string_view value = line.substr(colon + 1);
    while (!value.empty() && (value.front() == ' ' || value.front() == '\t')) value.remove_prefix(1);
    while (!value.empty() && (value.back() == ' ' || value.back() == '\t')) value.remove_suffix(1);
    headers.emplace_back(std::string(line.substr(0, colon)), std::string(value));
  }
  return size * n;
}

int on_progress(void* user, curl_off_t, curl_off_t, curl_off_t, curl_off_t) {
  const auto* cancelled = static_cast<Exchange*>(user)->cancelled;
  return cancelled && cancelled->load() ? 1 : 0;
}

struct Easy {
  CURL* curl = curl_easy_init();
  curl_slist* headers = nullptr;
  ~Easy() {
    curl_slist_free_all(headers);
    curl_easy_cleanup(curl);
  }
};

void set_blob(CURL* curl, CURLoption option, const std::string& pem) {
  curl_blob blob{const_cast<char*>(pem.data()), pem.size(), CURL_BLOB_COPY};
  curl_easy_setopt(curl, option, &blob);
}

// One request, no redirect following. `remaining` is the time left of the whole exchange.
std::variant<CurlResponse, CurlError> perform_once(const CurlRequest& base, const std::string& method,
                                                   const std::string& url, const HttpHeaders& headers,
                                                   const std::string& body,
                                                   std::optional<std::chrono::milliseconds> remaining) {
  Easy easy;
  if (!easy.curl) return CurlError{CurlFailure::transport, "cannot create a libcurl handle"};
  Exchange exchange;
  exchange.cancelled = base.cancelled;
  CURL* c = easy.curl;
  char error[CURL_ERROR_SIZE] = {0};
  curl_easy_setopt(c, CURLOPT_ERRORBUFFER, error);
  curl_easy_setopt(c, CURLOPT_URL, url.c_str());
  curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https");
  curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
  if (remaining) curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, static_cast<long>(std::max<int64_t>(1, remaining->count())));

  const bool sends_body = !body.empty() || method == "POST" || method == "PUT" || method == "PATCH";
  if (method == "HEAD") {
    curl_easy_setopt(c, CURLOPT_NOBODY, 1L);
  } else if (sends_body) {
    curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(body.size()));
    curl_easy_setopt(c, CURLOPT_COPYPOSTFIELDS, body.c_str());
    if (method != "POST") curl_easy_setopt(c, CURLOPT_CUSTOMREQUEST, method.c_str());
  } else if (method == "GET") {
    curl_easy_setopt(c, CURLOPT_HTTPGET, 1L);
  } else {
    curl_easy_setopt(c, CURLOPT_CUSTOMREQUEST, method.c_str());
  }

  for (const auto& [name, value] : headers) {
    // "Name;" is libcurl's way to send a header with an empty value.
    const std::string line = value.empty() ? name + ";" : name + ": " + value;
    easy.headers = curl_slist_append(easy.headers, line.c_str());
  }
  if (!has_header(headers, "Accept")) easy.headers = curl_slist_append(easy.headers, "Accept:");
  easy.headers = curl_slist_append(easy.headers, "Expect:");
  if (sends_body && !has_header(headers, "Content-Type")) {
    easy.headers = curl_slist_append(easy.headers, "Content-Type:");
  }
  curl_easy_setopt(c, CURLOPT_HTTPHEADER, easy.headers);
  if (!has_header(headers, "Accept-Encoding")) curl_easy_setopt(c, CURLOPT_ACCEPT_ENCODING, "gzip");

  if (base.tls.insecure_skip_verify) {
    curl_easy_setopt(c, CURLOPT_SSL_VERIFYPEER, 0L);
    curl_easy_setopt(c, CURLOPT_SSL_VERIFYHOST, 0L);
  }
  // Added to the default store (libcurl's OpenSSL backend loads both).
  if (!base.tls.root_ca_pem.empty()) set_blob(c, CURLOPT_CAINFO_BLOB, base.tls.root_ca_pem);
  if (!base.tls.client_cert_pem.empty()) {
    set_blob(c, CURLOPT_SSLCERT_BLOB, base.tls.client_cert_pem);
    curl_easy_setopt(c, CURLOPT_SSLCERTTYPE, "PEM");
    set_blob(c, CURLOPT_SSLKEY_BLOB, base.tls.client_key_pem);
    curl_easy_setopt(c, CURLOPT_SSLKEYTYPE, "PEM");
  }
  if (base.digest) {
    curl_easy_setopt(c, CURLOPT_HTTPAUTH, CURLAUTH_DIGEST);
    curl_easy_setopt(c, CURLOPT_USERNAME, base.digest->user.c_str());
    curl_easy_setopt(c, CURLOPT_PASSWORD, base.digest->password.c_str());
  }

  curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, on_body);
  curl_easy_setopt(c, CURLOPT_WRITEDATA, &exchange);
  curl_easy_setopt(c, CURLOPT_HEADERFUNCTION, on_header);
  curl_easy_setopt(c, CURLOPT_HEADERDATA, &exchange);
  curl_easy_setopt(c, CURLOPT_XFERINFOFUNCTION, on_progress);
  curl_easy_setopt(c, CURLOPT_XFERINFODATA, &exchange);
  curl_easy_setopt(c, CURLOPT_NOPROGRESS, 0L);

  const CURLcode code = curl_easy_perform(c);
  if (code == CURLE_ABORTED_BY_CALLBACK) return CurlError{CurlFailure::interrupted, "interrupted"};
  if (code != CURLE_OK) {
    const std::string detail = error[0] ? error : curl_easy_strerror(code);
    return CurlError{CurlFailure::transport, operation(method) + " \"" + url + "\": " + detail};
  }
  curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &exchange.response.status);
  char* location = nullptr;
  curl_easy_getinfo(c, CURLINFO_REDIRECT_URL, &location);
  // Carried to the caller through `url` until it is replaced by the final URL.
  exchange.response.url = location ? location : "";
  return std::move(exchange.response);
}

bool is_redirect(long status) {
  return status == 301 || status == 302 || status == 303 || status == 307 || status == 308;
}

template <class T, void (*Free)(T*)>
using Owned = std::unique_ptr<T, std::integral_constant<decltype(Free), Free>>;

// Never asks a terminal for a passphrase: an encrypted key simply does not parse.
int no_passphrase(char*, int, int, void*) { return 0; }

Owned<BIO, BIO_free_all> memory_bio(const std::string& pem) {
  return Owned<BIO, BIO_free_all>(BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())));
}

}  // namespace

std::string canonical_header_name(std::string_view name) {
  for (char c : name) {
    const auto u = static_cast<unsigned char>(c);
    const bool token = std::isalnum(u) || std::string_view("!#$%&'*+-.^_`|~").find(c) != std::string_view::npos;
    if (!token) return std::string(name);
  }
  std::string out(name);
  bool upper = true;
  for (auto& c : out) {
    const auto u = static_cast<unsigned char>(c);
    c = static_cast<char>(upper ? std::toupper(u) : std::tolower(u));
    upper = c == '-';
  }
  return out;
}

std::string basic_authorization(std::string_view user, std::string_view password) {
  const std::string pair = std::string(user) + ":" + std::string(password);
  std::string out(4 * ((pair.size() + 2) / 3), '\0');
  const int n = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                                reinterpret_cast<const unsigned char*>(pair.data()), static_cast<int>(pair.size()));
  out.resize(static_cast<size_t>(n));
  return "Basic " + out;
}

std::optional<CurlError> check_tls_options(const TlsOptions& tls) {
  // OpenSSL's error queue is per thread: leave it empty for libcurl's messages.
  struct ClearErrors {
    ~ClearErrors() { ERR_clear_error(); }
  } clear;
  if (!tls.client_cert_pem.empty() || !tls.client_key_pem.empty()) {
    const std::string prefix = "failed to parse x509 mTLS certificate or key: ";
    auto cert_bio = memory_bio(tls.client_cert_pem);
    Owned<X509, X509_free> cert(PEM_read_bio_X509(cert_bio.get(), nullptr, no_passphrase, nullptr));
    if (!cert) return CurlError{CurlFailure::bad_tls, prefix + "tls: failed to find any PEM data in certificate input"};
    auto key_bio = memory_bio(tls.client_key_pem);
    Owned<EVP_PKEY, EVP_PKEY_free> key(PEM_read_bio_PrivateKey(key_bio.get(), nullptr, no_passphrase, nullptr));
    if (!key) return CurlError{CurlFailure::bad_tls, prefix + "tls: failed to find any PEM data in key input"};
    if (X509_check_private_key(cert.get(), key.get()) != 1) {
      return CurlError{CurlFailure::bad_tls, prefix + "tls: private key does not match public key"};
    }
  }
  if (!tls.root_ca_pem.empty()) {
    auto bio = memory_bio(tls.root_ca_pem);
    Owned<X509, X509_free> first(PEM_read_bio_X509(bio.get(), nullptr, no_passphrase, nullptr));
    if (!first) {
      return CurlError{CurlFailure::bad_tls, "WithTLSRootCA: failed to add a certificate to the cert pool"};
    }
  }
  return std::nullopt;
}

std::variant<CurlResponse, CurlError> perform_http(const CurlRequest& request) {
  global_init();
  if (auto bad = check_tls_options(request.tls)) return *bad;
  using Clock = std::chrono::steady_clock;
  const auto deadline = Clock::now() + request.timeout;
  std::string method = request.method;
  std::string url = request.url;
  std::string body = request.body;
  // Set in order: a later header of the same name replaces an earlier one.
  HttpHeaders headers;
  for (const auto& [name, value] : request.headers) {
    std::erase_if(headers, [&](const auto& h) { return iequals(h.first, name); });
    headers.emplace_back(name, value);
  }
  for (int hop = 0;; ++hop) {
    const std::string scheme = scheme_of(url);
    if (scheme != "http" && scheme != "https") {
      return CurlError{CurlFailure::transport,
                       operation(method) + " \"" + url + "\": unsupported protocol scheme \"" + scheme + "\""};
    }
    std::optional<std::chrono::milliseconds> remaining;
    if (request.timeout.count() > 0) {
      remaining = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
      if (remaining->count() <= 0) {
        return CurlError{CurlFailure::transport, operation(method) + " \"" + url + "\": timeout exceeded"};
      }
    }
    auto once = perform_once(request, method, url, headers, body, remaining);
    if (std::holds_alternative<CurlError>(once)) return once;
    auto& response = std::get<CurlResponse>(once);
    const std::string location = std::move(response.url);
    response.url = url;
    if (!request.follow_redirects || !is_redirect(response.status) || location.empty()) return once;
    if (hop >= request.max_redirects) {
      return CurlError{CurlFailure::transport, operation(method) + " \"" + location + "\": stopped after " +
                                                   std::to_string(request.max_redirects) + " redirects"};
    }
    if (response.status == 301 || response.status == 302 || response.status == 303) {
      if (method != "GET" && method != "HEAD") method = "GET";
      body.clear();
      std::erase_if(headers, [](const auto& h) { return iequals(h.first, "Content-Type"); });
    }
    if (!same_site(url, location)) {
      std::erase_if(headers, [](const auto& h) {
        return iequals(h.first, "Authorization") || iequals(h.first, "Www-Authenticate") ||
               iequals(h.first, "Cookie") || iequals(h.first, "Cookie2");
      });
    }
    url = location;
  }
}

}  // namespace utask::actions
