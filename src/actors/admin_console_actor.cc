#include "actors/admin_console_actor.h"

#include <caf/actor_system.hpp>
#include <caf/actor_system_config.hpp>
#include <caf/event_based_actor.hpp>
#include <caf/send.hpp>
#include <caf/stateful_actor.hpp>
#include <spdlog/spdlog.h>

#include <atomic>
#include <condition_variable>
#include <future>
#include <mutex>
#include <optional>
#include <vector>

#include "actors/blocking.h"
#include "actors/io_pool.h"
#include "actors/messages.h"
#include "engine/step_state.h"
#include "persistence/store.h"

namespace utask::actors {

namespace {

using tick_atom = caf::atom_constant<caf::atom("tick")>;          // periodic re-read of the flag
using refresh_atom = caf::atom_constant<caf::atom("refresh")>;    // re-read now, then tell
using maintain_atom = caf::atom_constant<caf::atom("maintain")>;  // set the flag
using rotate_atom = caf::atom_constant<caf::atom("rotate")>;      // start a key rotation
using batch_atom = caf::atom_constant<caf::atom("batch")>;        // rotate the next batch

persistence::Timestamp now() {
  return std::chrono::time_point_cast<std::chrono::microseconds>(std::chrono::system_clock::now());
}

// What a key rotation looks like from outside; written by the actor only, read by anyone.
struct RotationView {
  bool running = false;
  std::string started_by;
  std::optional<persistence::Timestamp> started_at;
  std::optional<persistence::Timestamp> finished_at;
  std::optional<persistence::KeyRotationProgress> progress;  // as the store last reported it
  std::vector<std::string> errors;
};

}  // namespace

// What the actor publishes to request threads.
struct ConsoleShared {
  std::atomic<bool> maintenance{false};
  mutable std::mutex mu;
  mutable std::condition_variable rotation_changed;
  RotationView rotation;  // guarded by mu
};

namespace {

struct ConsoleState {
  // Set at spawn.
  std::shared_ptr<ConsoleShared> shared;
  AdminConsoleOptions options;
  IoPool* io = nullptr;
  // Changed only in handlers.
  bool rotating = false;

  static inline const char* name = "admin-console";
};
using Self = caf::stateful_actor<ConsoleState>;

// Publishes the flag; tells the listener when it changed.
void apply_maintenance(Self* self, bool on) {
  auto& st = self->state;
  const bool before = st.shared->maintenance.exchange(on);
  if (before == on) return;
  spdlog::warn("maintenance mode {}", on ? "on: writes are refused, collectors paused" : "off");
  if (st.options.on_maintenance_change) st.options.on_maintenance_change(on);
}

// The flag as stored: absent or unreadable → off (a damaged row must not freeze the fleet).
bool stored_flag(const Result<std::optional<persistence::Setting>>& setting) {
  return setting.ok() && setting->has_value() && (*setting)->value_json == "true";
}

void read_flag(Self* self, DoneCallback done) {
  auto* store = self->state.options.store;
  run_blocking(self, *self->state.io, [store] { return store->get_setting(kMaintenanceSetting); },
               [self, done](Result<std::optional<persistence::Setting>> setting) {
                 if (!setting) {
                   // Keep the last value seen: a lost connection must not flip the mode.
                   spdlog::warn("admin console: reading maintenance mode: {}",
                                setting.error().message);
                 } else {
                   apply_maintenance(self, stored_flag(setting));
                 }
                 if (done) done();
               });
}

void update_rotation(Self* self, const std::function<void(RotationView&)>& change) {
  auto& shared = *self->state.shared;
  {
    std::lock_guard lock(shared.mu);
    change(shared.rotation);
  }
  shared.rotation_changed.notify_all();
}

void rotate_batch(Self* self) {
  auto* store = self->state.options.store;
  const size_t rows = std::max<size_t>(1, self->state.options.rotation_batch_rows);
  auto before = self->state.options.before_rotation_batch;
  run_blocking(self, *self->state.io,
               [store, rows, before] {
                 if (before) before();
                 return store->rotate_keys(rows);
               },
               [self](Result<persistence::KeyRotationProgress> progress) {
                 if (!progress) {
                   spdlog::error("key rotation stopped: {}", progress.error().message);
                   self->state.rotating = false;
                   update_rotation(self, [&](RotationView& v) {
                     v.running = false;
                     v.finished_at = now();
                     v.errors.push_back(progress.error().message);
                   });
                   return;
                 }
                 const bool done = progress->done;
                 update_rotation(self, [&](RotationView& v) {
                   v.progress = *progress;
                   if (done) {
                     v.running = false;
                     v.finished_at = progress->finished.value_or(now());
                   }
                 });
                 if (done) {
                   self->state.rotating = false;
                   spdlog::info("key rotation done: {} row(s) re-encrypted",
                                progress->rows_reencrypted);
                   return;
                 }
                 self->send(self, batch_atom::value);
               });
}

caf::behavior console(Self* self, std::shared_ptr<ConsoleShared> shared, AdminConsoleOptions options,
                      IoPool* io) {
  self->state.shared = std::move(shared);
  self->state.options = std::move(options);
  self->state.io = io;
  const auto every = std::max<std::chrono::milliseconds>(self->state.options.refresh_interval,
                                                         std::chrono::milliseconds(10));
  self->delayed_send(self, every, tick_atom::value);
  return {
      handle_continuation(),
      [self, every](tick_atom) {
        read_flag(self, nullptr);
        self->delayed_send(self, every, tick_atom::value);
      },
      [self](refresh_atom, DoneCallback& done) { read_flag(self, std::move(done)); },
      [self](maintain_atom, bool on, const std::string& by, StartCallback& reply) {
        auto* store = self->state.options.store;
        run_blocking(
            self, *self->state.io,
            [store, on, by] { return store->set_setting(kMaintenanceSetting, on ? "true" : "false", by); },
            [self, on, reply](Result<persistence::Setting> written) {
              if (!written) {
                reply(written.error());
                return;
              }
              apply_maintenance(self, on);
              reply({});
            });
      },
      [self](rotate_atom, const std::string& by, StartCallback& reply) {
        auto& st = self->state;
        if (st.rotating) {
          std::string who, when;
          {
            std::lock_guard lock(st.shared->mu);
            who = st.shared->rotation.started_by;
            if (st.shared->rotation.started_at) when = engine::format_time(*st.shared->rotation.started_at);
          }
          reply(Error{ErrorCode::conflict,
                      "a key rotation is already running (started by " + who + " at " + when + ")",
                      {}});
          return;
        }
        st.rotating = true;
        update_rotation(self, [&](RotationView& v) {
          v.running = true;
          v.started_by = by;
          v.started_at = now();
          v.finished_at.reset();
          v.progress.reset();  // until the first batch reports
          v.errors.clear();
        });
        spdlog::info("key rotation started by {}", by);
        reply({});
        rotate_batch(self);
      },
      [self](batch_atom) { rotate_batch(self); },
  };
}

// Waits for a reply the actor gives through a StartCallback.
Result<void> ask(const std::function<void(StartCallback)>& send, std::chrono::seconds limit) {
  auto promise = std::make_shared<std::promise<Result<void>>>();
  auto future = promise->get_future();
  auto once = std::make_shared<std::once_flag>();
  send([promise, once](Result<void> outcome) {
    std::call_once(*once, [&] { promise->set_value(std::move(outcome)); });
  });
  if (future.wait_for(limit) != std::future_status::ready) {
    return Error{ErrorCode::transient, "the admin console did not answer in time", {}};
  }
  return future.get();
}

Json time_or_null(const std::optional<persistence::Timestamp>& t) {
  return t ? Json(engine::format_time(*t)) : Json(nullptr);
}

}  // namespace

struct AdminConsoleActor::Impl {
  explicit Impl(std::unique_ptr<caf::actor_system_config> config)
      : cfg(std::move(config)), system(*cfg) {}
  ~Impl() {
    caf::anon_send_exit(actor, caf::exit_reason::user_shutdown);
    io.reset();  // finishes the batch in flight; its answer to the dead actor is dropped
  }

  // The config outlives the system (declared first); the pool goes before the system.
  std::unique_ptr<caf::actor_system_config> cfg;
  caf::actor_system system;
  std::unique_ptr<IoPool> io = std::make_unique<IoPool>(2);
  std::shared_ptr<ConsoleShared> shared = std::make_shared<ConsoleShared>();
  caf::actor actor;
};

Result<std::unique_ptr<AdminConsoleActor>> AdminConsoleActor::start(AdminConsoleOptions options) {
  if (!options.store) return Error::internal("admin console: a store is required");
  persistence::Store& store = *options.store;
  if (options.start_in_maintenance) {
    auto written = store.set_setting(kMaintenanceSetting, "true", "--maintenance-mode");
    if (!written) return written.error();
  }
  auto setting = store.get_setting(kMaintenanceSetting);
  if (!setting) return setting.error();
  auto progress = store.key_rotation_progress();
  if (!progress) return progress.error();

  auto cfg = std::make_unique<caf::actor_system_config>();
  cfg->set("scheduler.max-threads", 1);
  cfg->set("logger.verbosity", caf::atom("quiet"));
  cfg->set("logger.console", caf::atom("none"));
  auto impl = std::make_unique<Impl>(std::move(cfg));
  impl->shared->maintenance = stored_flag(setting);
  if (*progress) {
    impl->shared->rotation.progress = **progress;
    impl->shared->rotation.started_at = (*progress)->started;
    impl->shared->rotation.finished_at = (*progress)->finished;
  }
  impl->actor = impl->system.spawn(console, impl->shared, std::move(options), impl->io.get());
  return std::unique_ptr<AdminConsoleActor>(new AdminConsoleActor(std::move(impl)));
}

AdminConsoleActor::AdminConsoleActor(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}

AdminConsoleActor::~AdminConsoleActor() = default;

bool AdminConsoleActor::maintenance_mode() const { return impl_->shared->maintenance.load(); }

Result<void> AdminConsoleActor::set_maintenance_mode(bool on, const std::string& by) {
  return ask(
      [&](StartCallback reply) {
        caf::anon_send(impl_->actor, maintain_atom::value, on, by, std::move(reply));
      },
      std::chrono::seconds(30));
}

Result<void> AdminConsoleActor::start_key_rotation(const std::string& by) {
  return ask(
      [&](StartCallback reply) {
        caf::anon_send(impl_->actor, rotate_atom::value, by, std::move(reply));
      },
      std::chrono::seconds(30));
}

Json AdminConsoleActor::key_rotation_status() const {
  const auto& shared = *impl_->shared;
  std::lock_guard lock(shared.mu);
  const RotationView& v = shared.rotation;
  Json out = Json::object();
  out["running"] = v.running;
  out["done"] = v.progress ? v.progress->done : false;
  const int64_t done_rows = v.progress ? v.progress->rows_reencrypted : 0;
  out["rows_done"] = done_rows;
  out["rows_total"] = done_rows + (v.progress ? v.progress->rows_left_estimate : 0);
  out["table"] = v.progress ? v.progress->table : "";
  out["target_key_id"] = v.progress ? v.progress->target_key_id : "";
  out["started_by"] = v.started_by;
  out["started_at"] = time_or_null(v.started_at);
  out["finished_at"] = time_or_null(v.finished_at);
  out["errors"] = Json::array();
  for (const auto& e : v.errors) out["errors"].push_back(e);
  return out;
}

void AdminConsoleActor::refresh() {
  auto done = std::make_shared<std::promise<void>>();
  auto future = done->get_future();
  caf::anon_send(impl_->actor, refresh_atom::value, DoneCallback([done] { done->set_value(); }));
  future.wait_for(std::chrono::seconds(30));
}

bool AdminConsoleActor::wait_for_rotation(std::chrono::milliseconds timeout) const {
  const auto& shared = *impl_->shared;
  std::unique_lock lock(shared.mu);
  return shared.rotation_changed.wait_for(lock, timeout, [&] { return !shared.rotation.running; });
}

}  // namespace utask::actors
