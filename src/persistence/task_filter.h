#pragma once
// Task listing: who is asking, what they filter on, and keyset pagination. Every filter is
// served by an index (docs/storage.md, "Indexes"); no listing decrypts anything.

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "persistence/records.h"

namespace utask::persistence {

// A page request. `after` is the key of the last item of the previous page (a task id, a
// template or function name); empty = first page. `limit` is already normalised by the API
// (10..10000).
struct PageRequest {
  size_t limit = 1000;
  std::string after;
};

// A page, in listing order. `next` is the key to pass as PageRequest::after for the following
// page, or empty when this page is the last one (fewer items than the limit). A full last page
// still gets a `next`, whose page is empty: the API's Link header rule (api.md §1.7).
template <class T>
struct Page {
  std::vector<T> items;
  std::string next;
};

// The `type` of GET /task (api.md §5.3.2).
enum class TaskScope { own, resolvable, all };

struct Viewer {
  std::string username;
  std::vector<std::string> groups;
  bool admin = false;
};

// Tasks are listed by last_activity descending, then id descending: a total order, so a page
// boundary inside a run of equal last_activity values neither skips nor repeats a task (the
// original's "strictly older than `last`" skips them).
struct TaskFilter {
  Viewer viewer;
  TaskScope scope = TaskScope::own;
  // An empty viewer username matches no task (DECISIONS: no identity sees nothing), except for
  // admins with scope `all`.

  std::optional<std::string> state;
  std::optional<std::string> template_name;
  std::optional<std::string> batch_id;
  Tags tags;  // every pair must be on the task
  // Exact-user filters beyond the scope (internal callers and future query parameters).
  std::optional<std::string> requester;
  std::optional<std::string> resolver;  // in resolver_usernames
  std::optional<std::string> watcher;   // in watcher_usernames
  std::optional<Timestamp> after;   // last_activity strictly after
  std::optional<Timestamp> before;  // last_activity strictly before
  PageRequest page;
};

// One row of the /metrics aggregate (storage.md §6.6): tasks per group, state and template.
struct TaskCount {
  std::string group;  // "" when neither the task nor its template names a group
  std::string state;
  std::string template_name;
  int64_t count = 0;
};

}  // namespace utask::persistence
