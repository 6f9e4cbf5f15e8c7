#include "actions/batch/batch_action.h"

#include <algorithm>

#include "actions/action_services.h"
#include "actions/batch/batch_config.h"
#include "actions/batch/batch_progress.h"
#include "actions/subtask/child_support.h"
#include "actions/tag/tag_rules.h"

namespace utask::actions {
namespace {

bool is_final(const std::string& state) {
  return state == "DONE" || state == "CANCELLED" || state == "WONTFIX";
}

// One run of the step: its configuration, context and what it hands back on failure.
class BatchRun {
 public:
  BatchRun(const ExecutionRequest& request, BatchConfig config)
      : request_(request), services_(*request.services), config_(std::move(config)),
        previous_(context_string(request.context, "metadata")) {}

  ActionResult run() {
    auto progress = parse_progress(previous_);
    if (!progress) return fail(ErrorKind::client, progress.error().message);
    auto size = resolve_batch_inputs(config_);
    if (!size) return fail(ErrorKind::client, size.error().message);
    size_ = *size;
    total_ = static_cast<int64_t>(config_.inputs.size());
    if (total_ == 0) {
      ActionResult done;
      done.metadata = Json{{"batch_id", ""}, {"remaining_tasks", 0}, {"tasks_started", 0}};
      return done;
    }
    if (auto tags = check_tags(config_.tags); !tags) return fail(ErrorKind::client, tags.error().message);
    progress_ = *progress;
    return progress_.batch_id.empty() ? start() : resume();
  }

 private:
  // The previous metadata handed back unchanged (progress is not lost), with the error.
  ActionResult fail(ErrorKind kind, const std::string& message) const {
    ActionResult r = ActionResult::failure(kind, message);
    if (!previous_.empty()) r.metadata = quote_progress(previous_);
    return r;
  }

  ActionResult waiting(const std::string& message) const {
    ActionResult r;
    r.metadata = format_progress(progress_);
    r.error = ActionError{ErrorKind::not_assigned, message};
    return r;
  }

  // How many more children may start with `running` alive: all the rest when unlimited.
  int64_t room(int64_t running) const {
    const int64_t rest = total_ - progress_.tasks_started;
    if (size_ == 0 || rest < size_ - running) return rest;
    return std::max<int64_t>(0, size_ - running);
  }

  // Creates children [tasks_started, tasks_started + count) in batch `batch_id` ("" = new).
  Result<BatchWave> wave(const std::string& batch_id, int64_t count) const {
    BatchWaveRequest w;
    w.batch_id = batch_id;
    w.template_name = config_.template_name;
    w.parent_task_id = context_string(request_.context, "parent_task_id");
    if (w.parent_task_id.empty()) w.parent_task_id = request_.task_id;
    w.requester = requester_from_context(request_.context);
    for (int64_t i = progress_.tasks_started; i < progress_.tasks_started + count; ++i) {
      auto input = merge_child_input(config_.inputs[static_cast<size_t>(i)], config_.common_inputs);
      if (!input) return input.error();
      w.inputs.push_back(std::move(*input));
    }
    w.tags = config_.tags;
    if (!config_.comment.empty()) w.comment = config_.comment;
    w.watcher_usernames = config_.watcher_usernames;
    w.watcher_groups = config_.watcher_groups;
    return services_.create_batch_wave(w);
  }

  // First run: a new batch and its first wave. A failure leaves nothing behind (no metadata).
  ActionResult start() {
    auto created = wave("", room(0));
    if (!created) return ActionResult::failure(error_kind_of(created.error()), created.error().message);
    progress_.batch_id = created->batch_id;
    progress_.remaining_tasks = total_;
    progress_.tasks_started = static_cast<int64_t>(created->tasks.size());
    return waiting("tasks from batch \"" + progress_.batch_id + "\" will start shortly");
  }

  ActionResult resume() {
    int64_t running = 0;
    auto states = services_.batch_task_states(progress_.batch_id);
    if (!states) {
      if (states.error().code != ErrorCode::not_found) return fail(ErrorKind::server, states.error().message);
      // Collected once it had no task left: done, or re-created (same id) by the next wave.
      if (progress_.tasks_started >= total_) return finish();
    } else {
      running = std::count_if(states->begin(), states->end(), [](const auto& s) { return !is_final(s); });
    }
    if (progress_.tasks_started < total_) {
      const int64_t count = room(running);
      if (count > 0) {
        auto created = wave(progress_.batch_id, count);
        if (!created) return fail(error_kind_of(created.error()), created.error().message);
        const auto started = static_cast<int64_t>(created->tasks.size());
        progress_.tasks_started += started;
        progress_.remaining_tasks -= started;
      }
    } else {
      progress_.remaining_tasks = running;
    }
    if (progress_.remaining_tasks != 0) {
      return waiting("batch \"" + progress_.batch_id + "\" is currently RUNNING");
    }
    return finish();
  }

  // Every child is final: each child's end woke the parent and consumed one of its runs.
  ActionResult finish() {
    progress_.remaining_tasks = 0;
    const std::string tries = context_string(request_.context, "try_count");
    int delta = 0;
    try {
      delta = tries.empty() ? 0 : std::stoi(tries);
    } catch (const std::exception&) {
      delta = 0;
    }
    ActionResult r;
    r.run_max_increase = std::max(delta, 0);
    r.metadata = format_progress(progress_);
    return r;
  }

  const ExecutionRequest& request_;
  ActionServices& services_;
  BatchConfig config_;
  const std::string previous_;  // the previous progress as plain JSON; "" on the first run
  BatchProgress progress_;
  int64_t size_ = 0;
  int64_t total_ = 0;
};

}  // namespace

Result<void> BatchAction::validate(const Json& base, const Json& configuration) const {
  auto c = decode_batch_config(base, configuration);
  if (!c) return c.error();
  if (auto tags = check_tags(c->tags); !tags) return tags;
  return check_template_exists(templates_.get(), c->template_name, "batch");
}

Json BatchAction::context_template(std::string_view step_name) const {
  const std::string s(step_name);
  return Json{
      {"parent_task_id", "{{ .task.task_id }}"},
      {"requester_username", "{{.task.requester_username}}"},
      {"requester_groups", "{{ if .task.requester_groups }}{{ .task.requester_groups }}{{ end }}"},
      {"metadata", "{{ if (index .step `" + s + "` ) }}{{ if (index .step `" + s + "` `metadata`) }}{{ index .step `" +
                       s + "` `metadata` }}{{ end }}{{ end }}"},
      {"step_name", s},
      {"try_count", "{{ if (index .step `" + s + "` ) }}{{ index .step `" + s + "` `try_count` }}{{ end }}"},
  };
}

ActionResult BatchAction::execute(const ExecutionRequest& request) const {
  auto c = decode_batch_config(request.base_configuration, request.configuration);
  if (!c) return ActionResult::failure(ErrorKind::client, c.error().message);
  if (!request.services) return no_services(name());
  return BatchRun(request, std::move(*c)).run();
}

}  // namespace utask::actions
