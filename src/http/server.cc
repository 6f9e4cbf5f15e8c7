// The only translation unit that includes RESTinio: it turns RESTinio's requests into
// HttpRequest values, runs the Dispatcher and writes the HttpResponse back.
//
// Body limit: RESTinio 0.6 closes the connection, without an answer, when a body exceeds its
// limit (it cannot answer between the headers and the body). So RESTinio's limit is a hard cap
// of twice the configured limit (memory stays bounded by it), and a body between the limit and
// the cap is answered with the 400 binding error of api.md §1.2.

#include "http/server.h"

#include <spdlog/spdlog.h>

#include <restinio/all.hpp>

#include <algorithm>
#include <atomic>
#include <mutex>

#include <thread>

#include "http/binding.h"
#include "http/dispatcher.h"

namespace utask::http {
namespace {

using Traits = restinio::default_traits_t;
using ServerHandle = restinio::running_server_handle_t<Traits>;

constexpr size_t kMinBody = 1024;
constexpr size_t kMaxBody = 10485760;

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// Percent-decoding; `plus_is_space` for form-encoded query components. nullopt on a bad escape.
std::optional<std::string> percent_decode(std::string_view s, bool plus_is_space) {
  std::string out;
  out.reserve(s.size());
  for (size_t i = 0; i < s.size(); ++i) {
    const char c = s[i];
    if (c == '%') {
      if (i + 2 >= s.size()) return std::nullopt;
      const int hi = hex_value(s[i + 1]);
      const int lo = hex_value(s[i + 2]);
      if (hi < 0 || lo < 0) return std::nullopt;
      out.push_back(static_cast<char>(hi * 16 + lo));
      i += 2;
    } else if (c == '+' && plus_is_space) {
      out.push_back(' ');
    } else {
      out.push_back(c);
    }
  }
  return out;
}

// Go's url.ParseQuery: `&`-separated pairs, pairs with a bad escape dropped.
std::vector<std::pair<std::string, std::string>> parse_query(std::string_view raw) {
  std::vector<std::pair<std::string, std::string>> out;
  while (!raw.empty()) {
    const auto amp = raw.find('&');
    const std::string_view pair = raw.substr(0, amp);
    raw = amp == std::string_view::npos ? std::string_view() : raw.substr(amp + 1);
    if (pair.empty()) continue;
    const auto eq = pair.find('=');
    auto name = percent_decode(pair.substr(0, eq), true);
    auto value = percent_decode(eq == std::string_view::npos ? std::string_view() : pair.substr(eq + 1), true);
    if (name && value) out.emplace_back(std::move(*name), std::move(*value));
  }
  return out;
}

const char* reason_phrase(int status) {
  switch (status) {
    case 200: return "OK";
    case 201: return "Created";
    case 204: return "No Content";
    case 301: return "Moved Permanently";
    case 302: return "Found";
    case 304: return "Not Modified";
    case 307: return "Temporary Redirect";
    case 400: return "Bad Request";
    case 401: return "Unauthorized";
    case 403: return "Forbidden";
    case 404: return "Not Found";
    case 405: return "Method Not Allowed";
    case 409: return "Conflict";
    case 413: return "Payload Too Large";
    case 500: return "Internal Server Error";
    case 501: return "Not Implemented";
    case 503: return "Service Unavailable";
    default: return "Status";
  }
}

}  // namespace

struct HttpServer::Impl {
  std::unique_ptr<Dispatcher> dispatcher;
  ServerHandle handle;
  std::atomic<uint16_t> port{0};
  size_t max_body = 262144;
  std::mutex mutex;  // start/stop

  restinio::request_handling_status_t on_request(const restinio::request_handle_t& req);
  HttpResponse answer(const restinio::request_handle_t& req);
};

HttpResponse HttpServer::Impl::answer(const restinio::request_handle_t& req) {
  const auto& head = req->header();
  HttpRequest request;
  request.method = std::string(head.method().c_str());
  auto path = percent_decode(head.path(), false);
  if (!path) return HttpResponse::text(400, "400 Bad Request: invalid URL escape");
  request.path = std::move(*path);
  request.raw_query = std::string(head.query());
  request.query = parse_query(request.raw_query);
  head.for_each_field([&request](const restinio::http_header_field_t& field) {
    auto [it, inserted] = request.headers.emplace(field.name(), field.value());
    if (!inserted) it->second += ", " + field.value();
  });
  if (request.method != "GET") request.body = req->body();
  try {
    const auto endpoint = req->remote_endpoint();
    request.remote_address = endpoint.address().to_string() + ":" + std::to_string(endpoint.port());
  } catch (const std::exception&) {
  }
  if (request.body.size() > max_body) {
    // The same answer as a body the binding refuses (api.md §1.2), with CORS like any API answer.
    HttpResponse r = HttpResponse::error(
        400, "binding error: error parsing request body: http: request body too large (limit " +
                 std::to_string(max_body) + " bytes)");
    r.headers["Access-Control-Allow-Origin"] = "*";
    r.headers["Access-Control-Allow-Methods"] = "GET,POST,PUT,DELETE";
    r.headers["Access-Control-Allow-Headers"] = "Content-Type";
    r.headers["Access-Control-Expose-Headers"] = "Content-Type";
    spdlog::warn("api status=400 method={} path={} body of {} bytes over the limit",
                 request.method, request.path, request.body.size());
    return r;
  }
  return dispatcher->handle(std::move(request));
}

restinio::request_handling_status_t HttpServer::Impl::on_request(
    const restinio::request_handle_t& req) {
  HttpResponse response;
  try {
    response = answer(req);
  } catch (const std::exception& e) {
    spdlog::error("request failed: {}", e.what());
    response = HttpResponse::empty(500);
  }
  auto out = req->create_response(
      restinio::http_status_line_t{restinio::http_status_code_t{static_cast<std::uint16_t>(response.status)},
                                   reason_phrase(response.status)});
  for (const auto& [name, value] : response.headers) out.append_header(name, value);
  out.set_body(std::move(response.body));
  return out.done();
}

HttpServer::HttpServer() : impl_(std::make_unique<Impl>()) {}

HttpServer::~HttpServer() { stop(); }

Result<void> HttpServer::start(const ApiContext& api, const RouteTable& routes) {
  std::lock_guard lock(impl_->mutex);
  if (impl_->handle) return Error{ErrorCode::conflict, "the HTTP server is already running", {}};
  impl_->dispatcher = std::make_unique<Dispatcher>(api, routes);
  impl_->max_body = std::clamp(api.options.max_body_bytes == 0 ? size_t{262144} : api.options.max_body_bytes,
                               kMinBody, kMaxBody);
  const size_t threads = std::max(2u, api.options.threads);
  Impl* impl = impl_.get();
  auto settings = restinio::server_settings_t<Traits>{}
                      .address(api.options.address)
                      .port(api.options.port)
                      .request_handler([impl](auto req) { return impl->on_request(req); })
                      .incoming_http_msg_limits(
                          restinio::incoming_http_msg_limits_t{}.max_body_size(2 * impl->max_body))
                      .read_next_http_message_timelimit(std::chrono::seconds(60))
                      .write_http_response_timelimit(std::chrono::seconds(60))
                      .handle_request_timeout(std::chrono::minutes(5))
                      .acceptor_post_bind_hook([impl](asio::ip::tcp::acceptor& acceptor) {
                        impl->port = acceptor.local_endpoint().port();
                      });
  const std::string where = api.options.address + ":" + std::to_string(api.options.port);
  // RESTinio binds on its own thread and a failure there ends the process; bind once here
  // first so a port in use (or a bad address) is an error the caller reports.
  try {
    asio::io_context probe_context;
    asio::ip::tcp::endpoint endpoint(asio::ip::make_address(api.options.address), api.options.port);
    asio::ip::tcp::acceptor probe(probe_context);
    probe.open(endpoint.protocol());
    probe.set_option(asio::ip::tcp::acceptor::reuse_address(true));
    probe.bind(endpoint);
  } catch (const std::exception& e) {
    impl_->dispatcher.reset();
    return Error::invalid_config("HTTP server cannot listen on " + where + ": " + e.what());
  }
  try {
    impl_->handle = restinio::run_async<Traits>(restinio::own_io_context(), std::move(settings), threads);
  } catch (const std::exception& e) {
    impl_->dispatcher.reset();
    return Error::internal("HTTP server on " + where + ": " + e.what());
  }
  // Listening once the acceptor is bound (bounded wait): "ready" is only said after that.
  for (int i = 0; i < 500 && impl_->port.load() == 0; ++i)
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  return {};
}

uint16_t HttpServer::port() const { return impl_->port.load(); }

void HttpServer::stop() {
  std::lock_guard lock(impl_->mutex);
  if (!impl_->handle) return;
  impl_->handle->stop();
  impl_->handle->wait();
  impl_->handle.reset();
  impl_->dispatcher.reset();
}

}  // namespace utask::http
