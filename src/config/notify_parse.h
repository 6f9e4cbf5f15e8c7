#pragma once
// Internal to src/config: the notify part of the utask-cfg parser.

#include <string>
#include <vector>

#include "config/fields.h"
#include "config/notify_config.h"

namespace utask::config::detail {

// Reads `notify_config` and `notify_actions` of utask-cfg; throws FieldError. A backend named in
// notify_actions but not configured is reported in `warnings` (the original ignored it).
NotifyConfig parse_notify(const Fields& utask_cfg, std::vector<std::string>& warnings);

}  // namespace utask::config::detail
