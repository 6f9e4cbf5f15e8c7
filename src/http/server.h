#pragma once
// The HTTP server: RESTinio (the only translation unit including it is server.cc) on a pool of
// threads, dispatching every request through the middleware chain of dispatcher.h.
//
// Thread safety: start() and stop() from one thread; the request handling runs on the
// server's own threads.

#include <cstdint>
#include <memory>

#include "http/api_context.h"
#include "http/route_table.h"
#include "model/error.h"

namespace utask::http {

class HttpServer {
 public:
  HttpServer();
  ~HttpServer();  // stop()
  HttpServer(const HttpServer&) = delete;
  HttpServer& operator=(const HttpServer&) = delete;

  // Listens on api.options.address:port (port 0: a free port, see port()) with
  // api.options.threads threads; returns once the socket accepts connections. `api` and
  // `routes` must outlive the server. Fails (internal) when the address cannot be bound.
  Result<void> start(const ApiContext& api, const RouteTable& routes);
  // The bound port (after start()).
  uint16_t port() const;
  // Stops accepting, ends the connections and joins the threads. Idempotent.
  void stop();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace utask::http
