#pragma once
// encoding/json's Marshal of template values, as sprig's toJson family and µTask's
// jsonmarshal call it: sorted keys, Go's float and string forms, json.Number verbatim,
// []byte as base64, time.Time as RFC 3339; errors carry Go's messages.

#include <string>

#include "model/error.h"
#include "values/value.h"

namespace utask::values::fn {

struct JsonStyle {
  bool escape_html = true;  // < > & as \u003c \u003e \u0026 (json.Marshal); off for Encoder.SetEscapeHTML(false)
  bool indent = false;      // MarshalIndent(v, "", "  ")
};

Result<std::string> go_json_marshal(const Value& v, JsonStyle style = {});

// encoding/json's Unmarshal into interface{}: numbers become float64, objects maps. When the
// only error is a number beyond float64, `partial` (if given) receives the document with nil in
// its place, as Go fills it.
Result<Value> go_json_unmarshal(std::string_view text, Value* partial = nullptr);

}  // namespace utask::values::fn
