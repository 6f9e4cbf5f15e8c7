#pragma once
// What the task, batch and comment routes can change, read straight from the store: every task
// (state, title, tags, watchers, last activity, input) with its comments. Two snapshots taken
// around a refused request must be equal: nothing was stored half-way.

#include <gtest/gtest.h>

#include <string>

#include "model/json.h"
#include "persistence/store.h"

namespace utask::testing {

inline Json store_snapshot(persistence::Store& store) {
  persistence::TaskFilter filter;
  filter.viewer.username = "admin";
  filter.viewer.admin = true;
  filter.scope = persistence::TaskScope::all;
  filter.page.limit = 10000;
  auto page = store.list_tasks(filter);
  EXPECT_TRUE(page.ok()) << page.error().message;
  Json out = Json::object();
  if (!page) return out;
  for (const auto& listed : page->items) {
    auto task = store.get_task(listed.id);
    EXPECT_TRUE(task.ok()) << task.error().message;
    if (!task) continue;
    Json t{{"state", task->state},
           {"title", task->title},
           {"tags", task->tags},
           {"watchers", task->watcher_usernames},
           {"watcher_groups", task->watcher_groups},
           {"last_activity", task->last_activity.time_since_epoch().count()},
           {"input", task->input_json.value_or("")},
           {"batch", task->batch_id.value_or("")},
           {"resolution", task->resolution_id.value_or("")}};
    Json comments = Json::array();
    auto listed_comments = store.list_comments(task->id);
    EXPECT_TRUE(listed_comments.ok()) << listed_comments.error().message;
    if (listed_comments) {
      for (const auto& c : *listed_comments) {
        comments.push_back({c.id, c.content, c.updated.time_since_epoch().count()});
      }
    }
    t["comments"] = std::move(comments);
    out[task->id] = std::move(t);
  }
  return out;
}

}  // namespace utask::testing
