#include "values/executor.h"

#include "values/builtins.h"
#include "values/eval_context.h"
#include "values/go_format.h"
#include "values/methods.h"

namespace utask::values {
namespace {

using K = Value::Kind;

// A value as reflect sees it: `boxed` is a value read out of an interface{} container (a map
// entry, a list element, a range element) that no pipeline has unwrapped yet. Go names its
// type "interface {}" in errors and treats a boxed nil differently from no value.
struct EV {
  Value v;
  bool boxed = false;
};

struct ExecError {
  std::string message;
};
struct BreakSignal {};
struct ContinueSignal {};

class Executor {
 public:
  Executor(const TreeSet& set, const CalleeMap& callees, EvalContext* ctx, std::string name)
      : set_(set), callees_(callees), ctx_(ctx), name_(name), parse_name_(std::move(name)) {}

  std::string run(const ListNode& root, const Value& data) {
    EV dot{data, false};
    vars_.push_back({"$", dot});
    walk(dot, &root);
    return std::move(out_);
  }

 private:
  const TreeSet& set_;
  const CalleeMap& callees_;
  EvalContext* ctx_;
  std::string name_;        // the template being executed (changes in {{template}})
  std::string parse_name_;  // the name in locations: always the parsed template's
  const Node* node_ = nullptr;
  int depth_ = 0;
  std::vector<std::pair<std::string, EV>> vars_;
  std::string out_;

  void at(const Node* n) { node_ = n; }

  [[noreturn]] void errorf(const std::string& msg) {
    if (!node_) throw ExecError{"template: " + name_ + ": " + msg};
    size_t pos = node_->pos;
    std::string_view text = set_.text;
    if (pos > text.size()) pos = text.size();
    std::string_view before = text.substr(0, pos);
    size_t nl = before.rfind('\n');
    size_t col = nl == std::string_view::npos ? pos : pos - (nl + 1);
    size_t line = 1;
    for (char c : before) line += c == '\n';
    throw ExecError{"template: " + parse_name_ + ":" + std::to_string(line) + ":" + std::to_string(col) +
                    ": executing " + go_quote_string(name_) + " at <" + node_->str() + ">: " + msg};
  }

  // ---- variables ----
  size_t mark() const { return vars_.size(); }
  void pop(size_t m) { vars_.resize(m); }
  void push(const std::string& name, EV v) { vars_.push_back({name, std::move(v)}); }
  void set_var(const std::string& name, EV v) {
    for (size_t i = vars_.size(); i-- > 0;) {
      if (vars_[i].first == name) {
        vars_[i].second = std::move(v);
        return;
      }
    }
    errorf("undefined variable: " + name);
  }
  void set_top_var(size_t n, EV v) { vars_[vars_.size() - n].second = std::move(v); }
  EV var_value(const std::string& name) {
    for (size_t i = vars_.size(); i-- > 0;)
      if (vars_[i].first == name) return vars_[i].second;
    errorf("undefined variable: " + name);
  }

  // ---- walk ----
  void walk(const EV& dot, const Node* node) {
    at(node);
    switch (node->type) {
      case NodeType::action: {
        auto* a = static_cast<const ActionNode*>(node);
        EV val = eval_pipeline(dot, a->pipe.get());
        if (a->pipe->decl.empty()) print_value(node, val);
        break;
      }
      case NodeType::break_:
        throw BreakSignal{};
      case NodeType::comment:
        break;
      case NodeType::continue_:
        throw ContinueSignal{};
      case NodeType::if_:
      case NodeType::with: {
        auto* b = static_cast<const BranchNode*>(node);
        walk_if_or_with(node->type, dot, *b);
        break;
      }
      case NodeType::list:
        for (const auto& n : static_cast<const ListNode*>(node)->nodes) walk(dot, n.get());
        break;
      case NodeType::range:
        walk_range(dot, *static_cast<const BranchNode*>(node));
        break;
      case NodeType::template_:
        walk_template(dot, *static_cast<const TemplateNode*>(node));
        break;
      case NodeType::text:
        out_ += static_cast<const TextNode*>(node)->text;
        break;
      default:
        errorf("unknown node: " + node->str());
    }
  }

  static Value unbox(const EV& v) { return v.v.is(K::nil) && v.boxed ? Value::missing() : v.v; }

  void walk_if_or_with(NodeType type, const EV& dot, const BranchNode& b) {
    size_t m = mark();
    EV val = eval_pipeline(dot, b.pipe.get());
    bool truth = go_is_true(unbox(val));
    if (truth) {
      if (type == NodeType::with)
        walk(val, b.list.get());
      else
        walk(dot, b.list.get());
    } else if (b.else_list) {
      walk(dot, b.else_list.get());
    }
    pop(m);
  }

  void walk_range(const EV& dot, const BranchNode& r) {
    at(&r);
    size_t outer = mark();
    EV val = eval_pipeline(dot, r.pipe.get());
    Value v = unbox(val);
    size_t m = mark();
    bool broke = false;
    auto one_iteration = [&](EV index, EV elem) {
      if (!r.pipe->decl.empty()) set_top_var(1, elem);
      if (r.pipe->decl.size() > 1) set_top_var(2, index);
      try {
        walk(elem, r.list.get());
      } catch (const ContinueSignal&) {
      } catch (const BreakSignal&) {
        broke = true;
      }
      pop(m);
    };
    bool iterated = false;
    switch (v.kind()) {
      case K::list: {
        const List& items = v.as_list();
        bool boxed = v.go_type() == Value::GoType::standard;
        for (size_t i = 0; i < items.size() && !broke; i++) {
          Value e = items[i];
          if (v.go_type() == Value::GoType::int64_slice) e = e.with_go_type(Value::GoType::int64);
          one_iteration(EV{Value::integer(static_cast<int64_t>(i)), false}, EV{e, boxed});
        }
        iterated = !items.empty();
        break;
      }
      case K::bytes: {
        const std::string& s = v.as_string();
        for (size_t i = 0; i < s.size() && !broke; i++)
          one_iteration(EV{Value::integer(static_cast<int64_t>(i)), false},
                        EV{Value::integer(static_cast<unsigned char>(s[i])).with_go_type(Value::GoType::uint8), false});
        iterated = !s.empty();
        break;
      }
      case K::map: {
        const Map& entries = v.as_map();
        bool boxed = v.go_type() == Value::GoType::standard;
        for (auto it = entries.begin(); it != entries.end() && !broke; ++it)
          one_iteration(EV{Value::string(it->first), false}, EV{it->second, boxed});
        iterated = !entries.empty();
        break;
      }
      case K::missing:
      case K::nil:
        break;
      default:
        errorf("range can't iterate over " + go_sprint_value(v));
    }
    if (!iterated && r.else_list) walk(dot, r.else_list.get());
    pop(outer);
  }

  void walk_template(const EV& dot, const TemplateNode& t) {
    at(&t);
    auto it = set_.trees.find(t.name);
    if (it == set_.trees.end()) errorf("template " + go_quote_string(t.name) + " not defined");
    if (depth_ == kMaxExecDepth) errorf("exceeded maximum template depth (" + std::to_string(kMaxExecDepth) + ")");
    EV new_dot = eval_pipeline(dot, t.pipe.get());
    // A new state: no variables but $, the callee's name in messages.
    std::vector<std::pair<std::string, EV>> saved_vars;
    saved_vars.swap(vars_);
    std::string saved_name = name_;
    vars_.push_back({"$", new_dot});
    name_ = t.name;
    depth_++;
    try {
      walk(new_dot, it->second.get());
    } catch (...) {
      depth_--;
      name_ = saved_name;
      vars_.swap(saved_vars);
      throw;
    }
    depth_--;
    name_ = saved_name;
    vars_.swap(saved_vars);
  }

  // ---- eval ----
  EV eval_pipeline(const EV& dot, const PipeNode* pipe) {
    if (!pipe) return EV{};
    at(pipe);
    EV value;
    bool has_final = false;
    for (const auto& cmd : pipe->cmds) {
      value = eval_command(dot, *cmd, has_final ? &value : nullptr);
      has_final = true;
      // An interface{} value is unwrapped: a boxed nil becomes no value.
      if (value.boxed) value = EV{unbox(value), false};
    }
    for (const auto& var : pipe->decl) {
      if (pipe->is_assign)
        set_var(var->ident[0], value);
      else
        push(var->ident[0], value);
    }
    return value;
  }

  void not_a_function(const std::vector<NodePtr>& args, const EV* final) {
    if (args.size() > 1 || final) errorf("can't give argument to non-function " + args[0]->str());
  }

  EV eval_command(const EV& dot, const CommandNode& cmd, const EV* final) {
    const Node* first = cmd.args[0].get();
    switch (first->type) {
      case NodeType::field:
        return eval_field_node(dot, static_cast<const FieldNode&>(*first), &cmd.args, final);
      case NodeType::chain:
        return eval_chain_node(dot, static_cast<const ChainNode&>(*first), &cmd.args, final);
      case NodeType::identifier:
        return eval_function(dot, static_cast<const IdentifierNode&>(*first), &cmd, &cmd.args, final);
      case NodeType::pipe:
        not_a_function(cmd.args, final);
        return eval_pipeline(dot, static_cast<const PipeNode*>(first));
      case NodeType::variable:
        return eval_variable_node(dot, static_cast<const VariableNode&>(*first), &cmd.args, final);
      default:
        break;
    }
    at(first);
    not_a_function(cmd.args, final);
    switch (first->type) {
      case NodeType::boolean:
        return EV{Value::boolean(static_cast<const BoolNode*>(first)->value)};
      case NodeType::dot:
        return dot;
      case NodeType::nil:
        errorf("nil is not a command");
      case NodeType::number:
        return EV{ideal_constant(static_cast<const NumberNode&>(*first))};
      case NodeType::string:
        return EV{Value::string(static_cast<const StringNode*>(first)->text)};
      default:
        break;
    }
    errorf("can't evaluate command " + go_quote_string(first->str()));
  }

  Value ideal_constant(const NumberNode& c) {
    at(&c);
    const std::string& t = c.text;
    bool is_hex_int = t.size() > 2 && t[0] == '0' && (t[1] == 'x' || t[1] == 'X') && t.find_first_of("pP") == std::string::npos;
    bool is_rune = !t.empty() && t[0] == '\'';
    if (c.is_complex) errorf("complex constants are not supported");
    if (c.is_float && !is_hex_int && !is_rune && t.find_first_of(".eEpP") != std::string::npos)
      return Value::floating(c.float64);
    if (c.is_int) return Value::integer(c.int64);
    if (c.is_uint) errorf(t + " overflows int");
    return Value::missing();
  }

  EV eval_field_node(const EV& dot, const FieldNode& field, const std::vector<NodePtr>* args, const EV* final) {
    at(&field);
    return eval_field_chain(dot, dot, &field, field.ident, 0, args, final);
  }

  EV eval_chain_node(const EV& dot, const ChainNode& chain, const std::vector<NodePtr>* args, const EV* final) {
    at(&chain);
    if (chain.field.empty()) errorf("internal error: no fields in evalChainNode");
    if (chain.node->type == NodeType::nil) errorf("indirection through explicit nil in " + chain.str());
    EV pipe = eval_arg(dot, nullptr, chain.node.get());
    return eval_field_chain(dot, pipe, &chain, chain.field, 0, args, final);
  }

  EV eval_variable_node(const EV& dot, const VariableNode& variable, const std::vector<NodePtr>* args,
                        const EV* final) {
    at(&variable);
    EV value = var_value(variable.ident[0]);
    if (variable.ident.size() == 1) {
      if (args) not_a_function(*args, final);
      return value;
    }
    return eval_field_chain(dot, value, &variable, variable.ident, 1, args, final);
  }

  EV eval_field_chain(const EV& dot, EV receiver, const Node* node, const std::vector<std::string>& ident,
                      size_t from, const std::vector<NodePtr>* args, const EV* final) {
    size_t n = ident.size();
    for (size_t i = from; i + 1 < n; i++) receiver = eval_field(dot, ident[i], node, nullptr, nullptr, receiver);
    return eval_field(dot, ident[n - 1], node, args, final, receiver);
  }

  EV eval_function(const EV& dot, const IdentifierNode& node, const Node* cmd, const std::vector<NodePtr>* args,
                   const EV* final) {
    at(&node);
    auto it = callees_.find(node.ident);
    if (it == callees_.end()) errorf(go_quote_string(node.ident) + " is not a defined function");
    return eval_call(dot, it->second.row, it->second.signature, it->second.builtin, cmd, node.ident, args, final,
                     nullptr);
  }

  EV eval_field(const EV& dot, const std::string& field_name, const Node* node, const std::vector<NodePtr>* args,
                const EV* final, const EV& receiver) {
    if (receiver.v.is(K::missing)) return EV{};
    std::string typ = receiver.boxed ? "interface {}" : receiver.v.go_type_name();
    if (receiver.v.is(K::nil)) errorf("nil pointer evaluating " + typ + "." + field_name);
    const GoSignature* sig = nullptr;
    if (const FunctionRow* m = find_method(receiver.v, field_name, &sig))
      return eval_call(dot, m, *sig, false, node, field_name, args, final, &receiver.v);
    bool has_args = (args && args->size() > 1) || final;
    if (receiver.v.is(K::map)) {
      if (has_args) errorf(field_name + " is not a method but has arguments");
      const Map& m = receiver.v.as_map();
      auto it = m.find(field_name);
      if (it == m.end()) return EV{};
      return EV{it->second, receiver.v.go_type() == Value::GoType::standard};
    }
    errorf("can't evaluate field " + field_name + " in type " + typ);
  }

  // evalCall. `receiver`: the bound receiver of a method (passed first to the implementation).
  EV eval_call(const EV& dot, const FunctionRow* row, const GoSignature& sig, bool is_builtin, const Node* node,
               const std::string& name, const std::vector<NodePtr>* all_args, const EV* final,
               const Value* receiver) {
    std::vector<const Node*> args;
    if (all_args)
      for (size_t i = 1; i < all_args->size(); i++) args.push_back((*all_args)[i].get());
    size_t num_in = args.size() + (final ? 1 : 0);
    size_t num_params = sig.params.size();
    size_t num_fixed = args.size();
    if (sig.variadic) {
      num_fixed = num_params - 1;
      if (num_in < num_fixed)
        errorf("wrong number of args for " + name + ": want at least " + std::to_string(num_params - 1) + " got " +
               std::to_string(args.size()));
    } else if (num_in != num_params) {
      errorf("wrong number of args for " + name + ": want " + std::to_string(num_params) + " got " +
             std::to_string(num_in));
    }

    if (is_builtin && (name == "and" || name == "or")) {
      const GoParamType& arg_type = sig.params[0];
      EV v;
      for (const Node* a : args) {
        v = eval_arg(dot, &arg_type, a);
        if (go_is_true(unbox(v)) == (name == "or")) return v;
      }
      if (final) v = validate_type(*final, &arg_type);
      return v;
    }

    std::vector<Value> argv;
    argv.reserve(num_in + 1);
    if (receiver) argv.push_back(*receiver);
    size_t i = 0;
    for (; i < num_fixed && i < args.size(); i++) argv.push_back(to_arg(eval_arg(dot, &sig.params[i], args[i]), sig.params[i]));
    if (sig.variadic) {
      const GoParamType& elem = sig.params.back();
      for (; i < args.size(); i++) argv.push_back(to_arg(eval_arg(dot, &elem, args[i]), elem));
    }
    if (final) {
      const GoParamType* t = &sig.params.back();
      if (sig.variadic && num_in - 1 < num_fixed) t = &sig.params[num_in - 1];
      argv.push_back(to_arg(validate_type(*final, t), *t));
    }
    FunctionCall call{std::move(argv), ctx_};
    Result<Value> r = row->impl(call);
    if (!r) {
      at(node);
      errorf("error calling " + name + ": " + r.error().message);
    }
    Value out = std::move(r.value());
    if (!sig.results.empty()) {
      const GoParamType& rt = sig.results[0];
      out = type_result(std::move(out), rt);
      // An interface{} or reflect.Value result is still boxed until a pipeline unwraps it.
      bool boxed = rt.kind == GoParamType::Kind::any || rt.kind == GoParamType::Kind::reflect_value;
      if (out.is(K::nil) && !boxed) out = Value::missing();
      return EV{std::move(out), boxed};
    }
    return EV{std::move(out), false};
  }

  // What an implementation receives for a validated argument: a boxed nil is a nil, no value
  // for an interface{} parameter is nil, for a reflect.Value parameter it stays missing.
  static Value to_arg(const EV& v, const GoParamType& t) {
    if (v.v.is(K::missing) && t.kind == GoParamType::Kind::any) return Value::nil();
    return v.v;
  }

  EV validate_type(const EV& value, const GoParamType* typ) {
    if (value.v.is(K::missing) || (value.v.is(K::nil) && !value.boxed)) {
      if (!typ) return EV{};
      if (typ->can_be_nil()) return zero_of(*typ);
      errorf("invalid value; expected " + typ->name);
    }
    if (!typ) return value;
    if (typ->kind == GoParamType::Kind::reflect_value || typ->kind == GoParamType::Kind::any) return value;
    if (value.boxed) {
      if (value.v.is(K::nil)) errorf("wrong type for value; expected " + typ->name + "; got interface {}");
      if (assignable(value.v, *typ)) return EV{value.v, false};
      errorf("wrong type for value; expected " + typ->name + "; got " + value.v.go_type_name());
    }
    if (!assignable(value.v, *typ))
      errorf("wrong type for value; expected " + typ->name + "; got " + value.v.go_type_name());
    return value;
  }

  static EV zero_of(const GoParamType& t) {
    switch (t.kind) {
      case GoParamType::Kind::any:
        return EV{Value::nil(), true};
      case GoParamType::Kind::slice:
        return EV{Value::list({}).with_go_type(t.go_type)};
      case GoParamType::Kind::map:
        return EV{Value::map({}).with_go_type(t.go_type)};
      default:
        return EV{};
    }
  }

  EV eval_arg(const EV& dot, const GoParamType* typ, const Node* n) {
    at(n);
    switch (n->type) {
      case NodeType::dot:
        return validate_type(dot, typ);
      case NodeType::nil:
        if (typ && typ->can_be_nil()) return zero_of(*typ);
        errorf("cannot assign nil to " + (typ ? typ->name : std::string("<nil>")));
      case NodeType::field: {
        std::vector<NodePtr> none;
        return validate_type(eval_field_arg(dot, static_cast<const FieldNode&>(*n)), typ);
      }
      case NodeType::variable:
        return validate_type(eval_variable_node(dot, static_cast<const VariableNode&>(*n), nullptr, nullptr), typ);
      case NodeType::pipe:
        return validate_type(eval_pipeline(dot, static_cast<const PipeNode*>(n)), typ);
      case NodeType::identifier: {
        auto& id = static_cast<const IdentifierNode&>(*n);
        return validate_type(eval_function(dot, id, n, nullptr, nullptr), typ);
      }
      case NodeType::chain:
        return validate_type(eval_chain_node(dot, static_cast<const ChainNode&>(*n), nullptr, nullptr), typ);
      default:
        break;
    }
    using PK = GoParamType::Kind;
    PK kind = typ ? typ->kind : PK::any;
    switch (kind) {
      case PK::boolean:
        if (n->type == NodeType::boolean) return EV{Value::boolean(static_cast<const BoolNode*>(n)->value)};
        errorf("expected bool; found " + n->str());
      case PK::complex:
        errorf("expected complex; found " + n->str());
      case PK::floating:
        if (n->type == NodeType::number && static_cast<const NumberNode*>(n)->is_float)
          return EV{Value::floating(static_cast<const NumberNode*>(n)->float64).with_go_type(typ->go_type)};
        errorf("expected float; found " + n->str());
      case PK::signed_integer:
        if (n->type == NodeType::number && static_cast<const NumberNode*>(n)->is_int)
          return EV{Value::integer(static_cast<const NumberNode*>(n)->int64).with_go_type(typ->go_type)};
        errorf("expected integer; found " + n->str());
      case PK::unsigned_integer:
        if (n->type == NodeType::number && static_cast<const NumberNode*>(n)->is_uint) {
          const auto* num = static_cast<const NumberNode*>(n);
          if (typ->go_type == Value::GoType::uint8 || typ->go_type == Value::GoType::uint)
            return EV{Value::integer(static_cast<int64_t>(num->uint64)).with_go_type(typ->go_type)};
          return EV{Value::unsigned_integer(num->uint64)};
        }
        errorf("expected unsigned integer; found " + n->str());
      case PK::any:
      case PK::reflect_value:
        return EV{eval_empty_interface(dot, n)};
      case PK::string:
        if (n->type == NodeType::string) return EV{Value::string(static_cast<const StringNode*>(n)->text)};
        errorf("expected string; found " + n->str());
      default:
        break;
    }
    errorf("can't handle " + n->str() + " for arg of type " + typ->name);
  }

  // evalFieldNode as an argument: Go passes the node itself as the only "argument".
  EV eval_field_arg(const EV& dot, const FieldNode& f) {
    at(&f);
    return eval_field_chain(dot, dot, &f, f.ident, 0, nullptr, nullptr);
  }

  Value eval_empty_interface(const EV& dot, const Node* n) {
    at(n);
    switch (n->type) {
      case NodeType::boolean:
        return Value::boolean(static_cast<const BoolNode*>(n)->value);
      case NodeType::number:
        return ideal_constant(static_cast<const NumberNode&>(*n));
      case NodeType::string:
        return Value::string(static_cast<const StringNode*>(n)->text);
      default:
        break;
    }
    errorf("can't handle assignment of " + n->str() + " to empty interface argument");
  }

  void print_value(const Node* n, const EV& v) {
    at(n);
    if (v.v.is(K::missing) || (v.v.is(K::nil))) {
      out_ += "<no value>";
      return;
    }
    out_ += go_sprint_value(v.v);
  }
};

}  // namespace

Result<std::string> execute_template(const TreeSet& set, const std::string& name, const CalleeMap& callees,
                                     const Value& data, EvalContext* context) {
  auto it = set.trees.find(name);
  if (it == set.trees.end())
    return Error::invalid_template("template: " + name + ": " + go_quote_string(name) +
                                   " is an incomplete or empty template");
  try {
    Executor ex(set, callees, context, name);
    return ex.run(*it->second, data);
  } catch (const ExecError& e) {
    return Error::invalid_template(e.message);
  }
}

}  // namespace utask::values
