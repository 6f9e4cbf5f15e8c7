#pragma once
// Public ids: random (version 4) UUIDs in canonical lower-case text.

#include <string>

namespace utask::service {

std::string new_uuid();

}  // namespace utask::service
