// §2.1 item 4: the definition of each input and resolver input; the rules themselves are
// model/input_rules.h's, shared with the value checks at task creation.

#include "model/input_rules.h"
#include "model/lint_internal.h"

namespace utask::model::lint_detail {

void lint_inputs(const TaskTemplate& tmpl, Sink& sink) {
  for (const auto& [kind, inputs] : {std::pair{"input ", &tmpl.inputs},
                                     std::pair{"resolver input ", &tmpl.resolver_inputs}}) {
    for (const auto& input : *inputs) {
      for (auto& message : check_input_definition(input)) {
        sink.error(kind + input.name, "input-definition", std::move(message));
      }
    }
  }
}

}  // namespace utask::model::lint_detail
