#pragma once
// The real admin console (actors::AdminConsoleActor) for the HTTP tests. The test owns it and
// stops it before the TestApi's store goes (the console reads the store in the background);
// the TestApi gets a forwarding console through ApiOptions::admin_console.
//
//   class T : public ApiTest {
//     ApiOptions api_options() const override { ApiOptions o; o.admin_console = consoles_.factory(); return o; }
//     void TearDown() override { consoles_.stop(); ApiTest::TearDown(); }
//     mutable ConsoleHolder consoles_;
//   };

#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

#include "actors/admin_console_actor.h"
#include "http/api_fixture.h"
#include "service/admin_console.h"
#include "service/context.h"

namespace utask::testing {

class ConsoleHolder {
 public:
  // Options of the API's console (its store is the API's); refresh every 50 ms.
  actors::AdminConsoleOptions options;

  AdminConsoleFactory factory() {
    return [this](const service::ServiceContext& services) -> std::unique_ptr<service::AdminConsole> {
      actors::AdminConsoleOptions o = options;
      o.store = services.store;
      if (o.refresh_interval == std::chrono::milliseconds(1000)) o.refresh_interval = std::chrono::milliseconds(50);
      main_ = start(std::move(o));
      return std::make_unique<Forward>(this);
    };
  }

  // Another console on the same store: a second instance.
  actors::AdminConsoleActor& second(persistence::Store& store) {
    actors::AdminConsoleOptions o;
    o.store = &store;
    o.refresh_interval = std::chrono::milliseconds(50);
    others_.push_back(start(std::move(o)));
    return *others_.back();
  }

  actors::AdminConsoleActor& main() { return *main_; }

  void stop() {
    others_.clear();
    main_.reset();
  }

 private:
  class Forward final : public service::AdminConsole {
   public:
    explicit Forward(ConsoleHolder* holder) : holder_(holder) {}
    bool maintenance_mode() const override { return holder_->main_ && holder_->main_->maintenance_mode(); }
    Result<void> set_maintenance_mode(bool on, const std::string& by) override {
      if (!holder_->main_) return Error::internal("console stopped");
      return holder_->main_->set_maintenance_mode(on, by);
    }
    Result<void> start_key_rotation(const std::string& by) override {
      if (!holder_->main_) return Error::internal("console stopped");
      return holder_->main_->start_key_rotation(by);
    }
    Json key_rotation_status() const override {
      return holder_->main_ ? holder_->main_->key_rotation_status() : Json::object();
    }

   private:
    ConsoleHolder* holder_;
  };

  static std::unique_ptr<actors::AdminConsoleActor> start(actors::AdminConsoleOptions o) {
    auto c = actors::AdminConsoleActor::start(std::move(o));
    EXPECT_TRUE(c.ok()) << c.error().message;
    return c ? std::move(*c) : nullptr;
  }

  std::unique_ptr<actors::AdminConsoleActor> main_;
  std::vector<std::unique_ptr<actors::AdminConsoleActor>> others_;
};

}  // namespace utask::testing
