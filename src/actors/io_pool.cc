#include "actors/io_pool.h"

#include <spdlog/spdlog.h>

#include <boost/asio/post.hpp>
#include <boost/asio/thread_pool.hpp>
#include <exception>

namespace utask::actors {

struct IoPool::Impl {
  explicit Impl(size_t n) : pool(n) {}
  boost::asio::thread_pool pool;
};

IoPool::IoPool(size_t threads) : impl_(std::make_unique<Impl>(threads)), threads_(threads) {}

IoPool::~IoPool() { impl_->pool.join(); }

void IoPool::post(std::function<void()> work) {
  boost::asio::post(impl_->pool, [work = std::move(work)] {
    try {
      work();
    } catch (const std::exception& e) {
      spdlog::error("blocking work failed with an exception: {}", e.what());
    } catch (...) {
      spdlog::error("blocking work failed with an unknown exception");
    }
  });
}

}  // namespace utask::actors
