// libFuzzer target: parse + execute of arbitrary template text against fixed data. Any crash,
// sanitizer report or hang is a bug; errors are expected results.
// Build: CC=clang CXX=clang++ cmake -DUTASK_FUZZ=ON ...; run: values_fuzz tests/fuzz/values_corpus

#include <cstddef>
#include <cstdint>
#include <string_view>

#include "model/json.h"
#include "values/renderer.h"

namespace {

const utask::values::Value& fuzz_data() {
  static const auto* v = new utask::values::Value(utask::values::Value::from_json(*utask::parse_json(
      R"({"s":"hello","n":12,"f":1.50,"t":true,"nul":null,"l":[1,"two",null,{"k":"v"}],)"
      R"("m":{"a":1,"b":"x","c":{"d":"deep"}},"e":"","el":[],"em":{}})")));
  return *v;
}

// Templates calling templates may take exponential time (as in Go); inputs with many calls are
// skipped so the fuzzer looks for crashes, not for slow inputs.
bool too_many_calls(std::string_view s) {
  int calls = 0;
  for (size_t p = s.find("template"); p != std::string_view::npos; p = s.find("template", p + 1)) calls++;
  for (size_t p = s.find("block"); p != std::string_view::npos; p = s.find("block", p + 1)) calls++;
  return calls > 3;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  if (size > 4096 || too_many_calls(text)) return 0;
  auto t = utask::values::Template::parse(text, "fuzz");
  if (!t) return 0;
  auto out = t->execute(fuzz_data());
  (void)out;
  return 0;
}
