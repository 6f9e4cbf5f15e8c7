#pragma once
// Making secrets safe to log.

#include <string>
#include <string_view>

namespace utask::config {

// A PostgreSQL connection string with its password replaced by `***`, in URL form
// (postgres://user:***@host/db) or key/value form (password=***). Other forms pass unchanged.
std::string redact_connection_string(std::string_view conn);

}  // namespace utask::config
