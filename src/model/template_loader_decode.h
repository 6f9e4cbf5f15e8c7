#pragma once
// Internal to the template loader: decoding JSON (converted from YAML) into typed fields with
// the original's rules (case-insensitive names, scalar → string conversion, null = zero value)
// and errors that name the file, the position and the field path.

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "model/error.h"
#include "model/json.h"
#include "model/task_template.h"
#include "model/yaml_json.h"

namespace utask::model::loader_detail {

// Converts single values; errors read `<file>:<line>:<col>: <path>: expected <what>, got <v>`.
class Decoder {
 public:
  Decoder(std::string_view file, const YamlDocument& doc) : file_(file), doc_(doc) {}

  Error shape_error(const std::string& path, std::string_view what, const Json& got) const;
  Error error(const std::string& path, const std::string& message) const;

  Result<std::string> string(const Json& v, const std::string& path) const;
  Result<bool> boolean(const Json& v, const std::string& path) const;
  Result<int64_t> integer(const Json& v, const std::string& path) const;
  Result<std::vector<std::string>> string_list(const Json& v, const std::string& path) const;
  Result<std::map<std::string, std::string>> string_map(const Json& v, const std::string& path) const;
  Result<std::vector<Json>> list(const Json& v, const std::string& path) const;
  // An integer (nanoseconds) or a Go duration string.
  Result<int64_t> duration_ns(const Json& v, const std::string& path) const;

 private:
  std::string_view file_;
  const YamlDocument& doc_;
};

// A JSON object read as a Go struct. Fields are looked up by their canonical name, exact match
// first, then ignoring ASCII case; keys never looked up are the unknown ones. The first error
// is kept and later reads do nothing, so a decoder reads every field, then checks failed().
// An absent or null field leaves `out` unchanged (its zero value).
class StructReader {
 public:
  // A value that is neither an object nor null fails at once ("expected a mapping").
  StructReader(const Decoder& d, const Json& object, std::string path);

  // The raw value of field `name` (marked as known), or nullptr when absent.
  const Json* get(std::string_view name);
  std::string path(std::string_view name) const;
  const std::string& path() const { return path_; }
  const Decoder& decoder() const { return d_; }

  void read(std::string_view name, std::string& out);
  void read(std::string_view name, std::optional<std::string>& out);
  void read(std::string_view name, bool& out);
  void read(std::string_view name, int64_t& out);
  void read(std::string_view name, std::optional<int64_t>& out);
  void read(std::string_view name, std::vector<std::string>& out);
  void read(std::string_view name, std::map<std::string, std::string>& out);
  void read(std::string_view name, std::vector<Json>& out);
  void read(std::string_view name, std::optional<Json>& out);  // any value, as written
  void read_raw(std::string_view name, Json& out);              // any value, null included
  void read_duration(std::string_view name, int64_t& ns);

  // Records `r`'s error if it failed and none is recorded yet; returns whether `r` is ok.
  template <class T>
  bool check(const Result<T>& r) {
    if (!r.ok() && !error_) error_ = r.error();
    return r.ok();
  }
  bool failed() const { return error_.has_value(); }
  const Error& error() const { return *error_; }

  // Keys that matched no looked-up field, as paths relative to `base` (the prefix removed).
  void collect_unknown(std::vector<std::string>& out, std::string_view base = {}) const;

 private:
  // The value to decode, or nullptr when absent, null or after an error.
  const Json* field(std::string_view name);

  const Decoder& d_;
  const Json* object_;
  std::string path_;
  std::vector<std::string> used_;
  std::optional<Error> error_;
};

std::string join_path(const std::string& parent, std::string_view key);
std::string index_path(const std::string& parent, std::size_t i);

// Decoders shared by templates and functions. Unknown keys are collected relative to `base`
// (the step's path for steps, "" for the root).
Result<Action> decode_action(const Decoder& d, const Json& v, const std::string& path,
                             std::vector<std::string>& unknown, std::string_view base);
Result<std::vector<Condition>> decode_conditions(const Decoder& d, const Json& v,
                                                 const std::string& path,
                                                 std::vector<std::string>& unknown,
                                                 std::string_view base);

}  // namespace utask::model::loader_detail
