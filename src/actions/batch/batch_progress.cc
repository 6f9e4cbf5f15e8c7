#include "actions/batch/batch_progress.h"

#include "model/json.h"

namespace utask::actions {

std::string quote_progress(const std::string& text) {
  std::string out;
  for (char c : text) {
    if (c == '"') out += '\\';
    out += c;
  }
  return out;
}

std::string format_progress(const BatchProgress& p) {
  // Field order of the original's struct, which is also alphabetical.
  Json j = {{"batch_id", p.batch_id}, {"remaining_tasks", p.remaining_tasks}, {"tasks_started", p.tasks_started}};
  return quote_progress(to_json_text(j));
}

Result<BatchProgress> parse_progress(const std::string& text) {
  BatchProgress p;
  if (text.empty()) return p;
  auto fail = [](const std::string& detail) {
    return Error::invalid_input("metadata unmarshalling failure: " + detail);
  };
  auto j = parse_json(text);
  if (!j) return fail(j.error().message);
  if (!j->is_object()) return fail("json: cannot unmarshal non-object into Go value of type BatchMetadata");
  if (auto it = j->find("batch_id"); it != j->end() && !it->is_null()) {
    if (!it->is_string()) return fail("json: cannot unmarshal into Go struct field BatchMetadata.batch_id of type string");
    p.batch_id = it->get<std::string>();
  }
  for (auto [key, target] : {std::pair{"remaining_tasks", &p.remaining_tasks}, std::pair{"tasks_started", &p.tasks_started}}) {
    auto it = j->find(key);
    if (it == j->end() || it->is_null()) continue;
    if (!it->is_number_integer()) {
      return fail(std::string("json: cannot unmarshal into Go struct field BatchMetadata.") + key + " of type int64");
    }
    *target = it->get<int64_t>();
  }
  return p;
}

}  // namespace utask::actions
