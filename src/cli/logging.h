#pragma once
// spdlog set-up for the whole process: human text by default, one JSON object per line with
// --log-format json. Log statements must never carry secrets (inputs, keys, passwords): log
// names and ids, not values.

#include "config/settings.h"

namespace utask::cli {

void setup_logging(config::LogFormat format, bool debug);

}  // namespace utask::cli
