#pragma once
// The parse tree of a template, shaped like Go's text/template/parse nodes. Every node keeps
// its byte offset (for "tmpl:LINE:COL" in execution errors) and prints itself as Go's
// Node.String() does (for the `at <...>` context of execution errors).

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <vector>

namespace utask::values {

struct FunctionRow;

enum class NodeType {
  text, action, boolean, chain, command, dot, field, identifier, if_, list, nil, number, pipe, range,
  string, template_, variable, with, comment, break_, continue_,
  else_, end,  // parser-internal
};

struct Node {
  NodeType type;
  size_t pos;
  Node(NodeType t, size_t p) : type(t), pos(p) {}
  virtual ~Node() = default;
  virtual void write_to(std::string& out) const = 0;
  std::string str() const {
    std::string s;
    write_to(s);
    return s;
  }
};
using NodePtr = std::unique_ptr<Node>;

struct ListNode : Node {
  std::vector<NodePtr> nodes;
  explicit ListNode(size_t p) : Node(NodeType::list, p) {}
  void write_to(std::string& out) const override {
    for (const auto& n : nodes) n->write_to(out);
  }
};

struct TextNode : Node {
  std::string text;
  TextNode(size_t p, std::string t) : Node(NodeType::text, p), text(std::move(t)) {}
  void write_to(std::string& out) const override { out += text; }
};

struct CommentNode : Node {
  std::string text;
  CommentNode(size_t p, std::string t) : Node(NodeType::comment, p), text(std::move(t)) {}
  void write_to(std::string& out) const override { out += "{{" + text + "}}"; }
};

struct VariableNode : Node {
  std::vector<std::string> ident;  // "$x", then field names
  VariableNode(size_t p, std::vector<std::string> i) : Node(NodeType::variable, p), ident(std::move(i)) {}
  void write_to(std::string& out) const override {
    for (size_t i = 0; i < ident.size(); i++) {
      if (i > 0) out += '.';
      out += ident[i];
    }
  }
};

struct CommandNode;

struct PipeNode : Node {
  int line;
  bool is_assign = false;
  std::vector<std::unique_ptr<VariableNode>> decl;
  std::vector<std::unique_ptr<CommandNode>> cmds;
  PipeNode(size_t p, int l) : Node(NodeType::pipe, p), line(l) {}
  void write_to(std::string& out) const override;
};

struct CommandNode : Node {
  std::vector<NodePtr> args;
  explicit CommandNode(size_t p) : Node(NodeType::command, p) {}
  void write_to(std::string& out) const override {
    for (size_t i = 0; i < args.size(); i++) {
      if (i > 0) out += ' ';
      if (args[i]->type == NodeType::pipe) {
        out += '(';
        args[i]->write_to(out);
        out += ')';
      } else {
        args[i]->write_to(out);
      }
    }
  }
};

inline void PipeNode::write_to(std::string& out) const {
  if (!decl.empty()) {
    for (size_t i = 0; i < decl.size(); i++) {
      if (i > 0) out += ", ";
      decl[i]->write_to(out);
    }
    out += " := ";
  }
  for (size_t i = 0; i < cmds.size(); i++) {
    if (i > 0) out += " | ";
    cmds[i]->write_to(out);
  }
}

struct ActionNode : Node {
  int line;
  std::unique_ptr<PipeNode> pipe;
  ActionNode(size_t p, int l, std::unique_ptr<PipeNode> pp) : Node(NodeType::action, p), line(l), pipe(std::move(pp)) {}
  void write_to(std::string& out) const override {
    out += "{{";
    pipe->write_to(out);
    out += "}}";
  }
};

struct IdentifierNode : Node {
  std::string ident;
  IdentifierNode(size_t p, std::string i) : Node(NodeType::identifier, p), ident(std::move(i)) {}
  void write_to(std::string& out) const override { out += ident; }
};

struct DotNode : Node {
  explicit DotNode(size_t p) : Node(NodeType::dot, p) {}
  void write_to(std::string& out) const override { out += '.'; }
};

struct NilNode : Node {
  explicit NilNode(size_t p) : Node(NodeType::nil, p) {}
  void write_to(std::string& out) const override { out += "nil"; }
};

struct FieldNode : Node {
  std::vector<std::string> ident;  // without the dots
  FieldNode(size_t p, std::vector<std::string> i) : Node(NodeType::field, p), ident(std::move(i)) {}
  void write_to(std::string& out) const override {
    for (const auto& id : ident) {
      out += '.';
      out += id;
    }
  }
};

struct ChainNode : Node {
  NodePtr node;
  std::vector<std::string> field;
  ChainNode(size_t p, NodePtr n) : Node(NodeType::chain, p), node(std::move(n)) {}
  void write_to(std::string& out) const override {
    if (node->type == NodeType::pipe) {
      out += '(';
      node->write_to(out);
      out += ')';
    } else {
      node->write_to(out);
    }
    for (const auto& f : field) {
      out += '.';
      out += f;
    }
  }
};

struct BoolNode : Node {
  bool value;
  BoolNode(size_t p, bool v) : Node(NodeType::boolean, p), value(v) {}
  void write_to(std::string& out) const override { out += value ? "true" : "false"; }
};

struct NumberNode : Node {
  bool is_int = false, is_uint = false, is_float = false, is_complex = false;
  int64_t int64 = 0;
  uint64_t uint64 = 0;
  double float64 = 0;
  std::string text;
  NumberNode(size_t p, std::string t) : Node(NodeType::number, p), text(std::move(t)) {}
  void write_to(std::string& out) const override { out += text; }
};

struct StringNode : Node {
  std::string quoted;
  std::string text;
  StringNode(size_t p, std::string q, std::string t) : Node(NodeType::string, p), quoted(std::move(q)), text(std::move(t)) {}
  void write_to(std::string& out) const override { out += quoted; }
};

// if / range / with.
struct BranchNode : Node {
  int line;
  std::unique_ptr<PipeNode> pipe;
  std::unique_ptr<ListNode> list;
  std::unique_ptr<ListNode> else_list;  // may be null
  BranchNode(NodeType t, size_t p, int l) : Node(t, p), line(l) {}
  void write_to(std::string& out) const override {
    out += "{{";
    out += type == NodeType::if_ ? "if" : type == NodeType::range ? "range" : "with";
    out += ' ';
    pipe->write_to(out);
    out += "}}";
    list->write_to(out);
    if (else_list) {
      out += "{{else}}";
      else_list->write_to(out);
    }
    out += "{{end}}";
  }
};

struct BreakNode : Node {
  int line;
  BreakNode(size_t p, int l) : Node(NodeType::break_, p), line(l) {}
  void write_to(std::string& out) const override { out += "{{break}}"; }
};

struct ContinueNode : Node {
  int line;
  ContinueNode(size_t p, int l) : Node(NodeType::continue_, p), line(l) {}
  void write_to(std::string& out) const override { out += "{{continue}}"; }
};

struct TemplateNode : Node {
  int line;
  std::string name;
  std::unique_ptr<PipeNode> pipe;  // may be null
  TemplateNode(size_t p, int l, std::string n, std::unique_ptr<PipeNode> pp)
      : Node(NodeType::template_, p), line(l), name(std::move(n)), pipe(std::move(pp)) {}
  void write_to(std::string& out) const override;
};

struct ElseNode : Node {
  int line;
  ElseNode(size_t p, int l) : Node(NodeType::else_, p), line(l) {}
  void write_to(std::string& out) const override { out += "{{else}}"; }
};

struct EndNode : Node {
  explicit EndNode(size_t p) : Node(NodeType::end, p) {}
  void write_to(std::string& out) const override { out += "{{end}}"; }
};

// Every template of one parse: the main one and those from define/block, by name.
struct TreeSet {
  std::string text;  // the source, for line:column of nodes
  std::map<std::string, std::unique_ptr<ListNode>> trees;
};

}  // namespace utask::values
