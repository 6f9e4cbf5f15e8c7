#pragma once
// YAML → JSON conversion for configuration values (file provider entries, items exposed to
// templates). Plain scalars are resolved with the YAML 1.2 core schema (null, booleans,
// integers, floats); quoted scalars stay strings.

#include <nlohmann/json_fwd.hpp>

namespace YAML {
class Node;
}

namespace utask::config {

nlohmann::json yaml_to_json(const YAML::Node& node);

}  // namespace utask::config
