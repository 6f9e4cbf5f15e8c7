#pragma once
// One error vocabulary for every layer (LevelDB's Status, CAF's sec): a code that callers
// branch on, a message for people, and the path of the field at fault when there is one.
// src/http maps codes to HTTP statuses in one place; nothing else does.

#include <string>
#include <utility>
#include <variant>

namespace utask {

enum class ErrorCode {
  invalid_template,  // a template or function breaks a rule (lint)
  invalid_input,     // a value given by a user breaks a declared rule
  invalid_config,    // configuration item or flag at fault
  not_found,
  unauthorized,      // no identity
  forbidden,         // identity without the right
  conflict,          // state does not allow the operation
  lease_lost,        // another instance owns the resolution now
  transient,         // may succeed if retried
  internal,          // a bug or an environment failure, never a user's mistake
};

const char* to_string(ErrorCode code);

struct Error {
  ErrorCode code = ErrorCode::internal;
  std::string message;
  std::string field;  // e.g. "steps.stepOne.dependencies" or "utask-cfg.admin_usernames"

  static Error invalid_template(std::string msg, std::string field = {}) {
    return {ErrorCode::invalid_template, std::move(msg), std::move(field)};
  }
  static Error invalid_input(std::string msg, std::string field = {}) {
    return {ErrorCode::invalid_input, std::move(msg), std::move(field)};
  }
  static Error invalid_config(std::string msg, std::string field = {}) {
    return {ErrorCode::invalid_config, std::move(msg), std::move(field)};
  }
  static Error not_found(std::string msg) { return {ErrorCode::not_found, std::move(msg), {}}; }
  static Error internal(std::string msg) { return {ErrorCode::internal, std::move(msg), {}}; }
};

// GCC 12 has no std::expected under C++20: a minimal one.
template <class T>
class Result {
 public:
  Result(T value) : v_(std::move(value)) {}          // NOLINT: implicit on purpose
  Result(Error error) : v_(std::move(error)) {}      // NOLINT
  bool ok() const { return v_.index() == 0; }
  explicit operator bool() const { return ok(); }
  T& value() & { return std::get<0>(v_); }
  const T& value() const& { return std::get<0>(v_); }
  T&& value() && { return std::get<0>(std::move(v_)); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }
  const Error& error() const { return std::get<1>(v_); }

 private:
  std::variant<T, Error> v_;
};

// Result<void>: success or an Error.
template <>
class Result<void> {
 public:
  Result() = default;
  Result(Error error) : error_(std::move(error)), ok_(false) {}  // NOLINT
  bool ok() const { return ok_; }
  explicit operator bool() const { return ok_; }
  const Error& error() const { return error_; }

 private:
  Error error_;
  bool ok_ = true;
};

}  // namespace utask
