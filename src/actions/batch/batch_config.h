#pragma once
// The configuration of `batch` (actions.md §7) decoded, and its JSON-text fields parsed.

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "model/error.h"
#include "model/json.h"

namespace utask::actions {

struct BatchConfig {
  std::string template_name;
  std::vector<Json> inputs;  // objects; `json_inputs` replaces them once parsed
  Json common_inputs = Json::object();
  std::string json_inputs;
  std::string common_json_inputs;
  std::map<std::string, std::string> tags;
  std::string sub_batch_size;
  std::string comment;
  std::vector<std::string> watcher_usernames;
  std::vector<std::string> watcher_groups;
};

// Decoding of base + configuration with the original's messages. resolver_usernames and
// resolver_groups are accepted and ignored, as in the original.
Result<BatchConfig> decode_batch_config(const Json& base, const Json& configuration);

// Parses `common_json_inputs`, `json_inputs` (when non-empty, they replace the literal fields)
// and returns `sub_batch_size` (0 = unlimited). invalid_input: `JSON common input
// unmarshalling failure: <e>`, `JSON inputs unmarshalling failure: <e>`, `parsing failure of
// field 'SubBatchSize': <e>`.
Result<int64_t> resolve_batch_inputs(BatchConfig& config);

// A child's input: its own object plus every common key; a key in both → invalid_input
// `Conflicting keys in input maps`.
Result<Json> merge_child_input(const Json& input, const Json& common);

}  // namespace utask::actions
