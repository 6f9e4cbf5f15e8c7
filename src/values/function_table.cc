#include "values/function_table.h"

#include "values/functions/families.h"

namespace utask::values {

void FunctionTable::add(FunctionRow row) {
  auto it = index_.find(row.name);
  if (it != index_.end()) {
    rows_[it->second] = std::move(row);
    return;
  }
  index_.emplace(row.name, rows_.size());
  rows_.push_back(std::move(row));
}

const FunctionRow* FunctionTable::find(std::string_view name) const {
  auto it = index_.find(name);
  return it == index_.end() ? nullptr : &rows_[it->second];
}

namespace {

FunctionTable build(const FunctionOptions& options) {
  FunctionTable t;
  fn::add_string_functions(t);
  fn::add_string_list_functions(t);
  fn::add_conversion_functions(t);
  fn::add_math_functions(t);
  fn::add_default_functions(t);
  fn::add_encoding_functions(t);
  fn::add_json_functions(t);
  fn::add_list_functions(t);
  fn::add_dict_functions(t);
  fn::add_regex_functions(t);
  fn::add_semver_functions(t);
  fn::add_path_functions(t);
  fn::add_date_functions(t);
  fn::add_crypto_functions(t);
  fn::add_reflection_functions(t);
  fn::add_url_functions(t);
  fn::add_os_functions(t, options);
  fn::add_utask_functions(t);  // last: overrides sprig's fromJson/mustFromJson
  return t;
}

}  // namespace

const FunctionTable& default_function_table(const FunctionOptions& options) {
  static const FunctionTable without_env = build(FunctionOptions{false});
  static const FunctionTable with_env = build(FunctionOptions{true});
  return options.allow_env ? with_env : without_env;
}

}  // namespace utask::values
