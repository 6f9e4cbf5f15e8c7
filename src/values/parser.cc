#include "values/parser.h"

#include <cmath>
#include <cstdlib>

#include "values/functions/go_unicode.h"
#include "values/go_format.h"
#include "values/go_unquote.h"
#include "values/lexer.h"

namespace utask::values {

void TemplateNode::write_to(std::string& out) const {
  out += "{{template ";
  out += go_quote_string(name);
  if (pipe) {
    out += ' ';
    pipe->write_to(out);
  }
  out += "}}";
}

namespace {

// Thrown inside the parser only; parse_template turns it into an Error.
struct ParseError {
  std::string message;
};

bool is_empty_tree(const Node* n) {
  if (!n) return true;
  switch (n->type) {
    case NodeType::comment:
      return true;
    case NodeType::list:
      for (const auto& c : static_cast<const ListNode*>(n)->nodes)
        if (!is_empty_tree(c.get())) return false;
      return true;
    case NodeType::text: {
      const auto& t = static_cast<const TextNode*>(n)->text;
      for (char c : t)
        if (!(c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f')) return false;
      return true;
    }
    default:
      return false;
  }
}


// Go's strconv.ParseInt/ParseUint(text, 0, 64) with underscores and base prefixes.
bool parse_go_int(std::string_view text, bool is_unsigned, int64_t& i, uint64_t& u) {
  std::string_view s = text;
  bool neg = false;
  if (!s.empty() && (s[0] == '+' || s[0] == '-')) {
    if (is_unsigned) return false;
    neg = s[0] == '-';
    s.remove_prefix(1);
  }
  int base = 10;
  bool prefixed = false;
  if (s.size() >= 2 && s[0] == '0') {
    char c = static_cast<char>(s[1] | 0x20);
    if (c == 'x') {
      base = 16;
      s.remove_prefix(2);
      prefixed = true;
    } else if (c == 'o') {
      base = 8;
      s.remove_prefix(2);
      prefixed = true;
    } else if (c == 'b') {
      base = 2;
      s.remove_prefix(2);
      prefixed = true;
    } else {
      base = 8;
      s.remove_prefix(1);
      prefixed = true;  // leading 0: octal, underscores allowed after it
    }
  }
  if (s.empty() && !(prefixed && base == 8 && text.find_first_of("oO") == std::string_view::npos)) return false;
  if (text.find('_') != std::string_view::npos && !go_underscore_ok(text)) return false;
  unsigned __int128 v = 0;
  bool any = false;
  for (char c : s) {
    if (c == '_') continue;
    int d;
    if (c >= '0' && c <= '9')
      d = c - '0';
    else if ((c | 0x20) >= 'a' && (c | 0x20) <= 'f')
      d = (c | 0x20) - 'a' + 10;
    else
      return false;
    if (d >= base) return false;
    v = v * base + d;
    any = true;
    if (v > static_cast<unsigned __int128>(UINT64_MAX) + 1) return false;
  }
  if (!any && !(base == 8 && prefixed)) return false;
  if (is_unsigned) {
    if (v > UINT64_MAX) return false;
    u = static_cast<uint64_t>(v);
    return true;
  }
  if (neg) {
    if (v > static_cast<unsigned __int128>(INT64_MAX) + 1) return false;
    i = static_cast<int64_t>(-static_cast<__int128>(v));
  } else {
    if (v > INT64_MAX) return false;
    i = static_cast<int64_t>(v);
  }
  return true;
}

// strconv.ParseFloat(text, 64) for the forms the lexer accepts (decimal, hex mantissa, _).
bool parse_go_float(std::string_view text, double& out) {
  if (text.find('_') != std::string_view::npos && !go_underscore_ok(text)) return false;
  std::string s;
  for (char c : text)
    if (c != '_') s += c;
  if (s.empty()) return false;
  // Reject what Go's ParseFloat rejects among lexed numbers: binary/octal prefixes.
  std::string_view body = s;
  if (!body.empty() && (body[0] == '+' || body[0] == '-')) body.remove_prefix(1);
  if (body.size() >= 2 && body[0] == '0' && ((body[1] | 0x20) == 'b' || (body[1] | 0x20) == 'o')) return false;
  bool hex = body.size() >= 2 && body[0] == '0' && (body[1] | 0x20) == 'x';
  if (hex && s.find_first_of("pP") == std::string::npos) return false;
  if (!hex && s.find_first_of("pP") != std::string::npos) return false;
  char* end = nullptr;
  out = std::strtod(s.c_str(), &end);
  if (end != s.c_str() + s.size()) return false;
  if (std::isinf(out)) return false;  // Go: value out of range
  return true;
}

class Parser {
 public:
  Parser(std::string_view text, std::string name, const std::function<bool(std::string_view)>& has_function)
      : tokens_(lex_template(text)), name_(std::move(name)), has_function_(has_function) {
    set_ = std::make_shared<TreeSet>();
    set_->text = std::string(text);
  }

  std::shared_ptr<TreeSet> parse() {
    vars_ = {"$"};
    auto root = std::make_unique<ListNode>(peek().pos);
    while (peek().type != TokenType::eof) {
      if (peek().type == TokenType::left_delim) {
        Token delim = next();
        if (next_non_space().type == TokenType::define) {
          parse_definition();
          continue;
        }
        backup2(delim);
      }
      NodePtr n = text_or_action();
      if (n->type == NodeType::end || n->type == NodeType::else_) errorf("unexpected " + n->str());
      root->nodes.push_back(std::move(n));
    }
    add(name_, std::move(root));
    return set_;
  }

 private:
  std::vector<Token> tokens_;
  size_t next_index_ = 0;
  std::string name_;
  const std::function<bool(std::string_view)>& has_function_;
  std::shared_ptr<TreeSet> set_;
  Token token_[3];
  int peek_count_ = 0;
  std::vector<std::string> vars_;
  int action_line_ = 0;
  int range_depth_ = 0;
  int depth_ = 0;  // nesting of pipelines and lists, bounded so the native stack cannot overflow

  // Newer Go releases bound nesting at 10000 with this message; a native stack needs less.
  static constexpr int kMaxParseDepth = 300;
  struct DepthGuard {
    Parser& p;
    explicit DepthGuard(Parser& parser) : p(parser) {
      if (++p.depth_ > kMaxParseDepth) p.errorf("max expression depth exceeded");
    }
    ~DepthGuard() { p.depth_--; }
  };

  Token lex_next() {
    if (next_index_ < tokens_.size()) return tokens_[next_index_++];
    return Token{};  // a closed channel yields the zero item
  }
  Token next() {
    if (peek_count_ > 0)
      peek_count_--;
    else
      token_[0] = lex_next();
    return token_[peek_count_];
  }
  void backup() { peek_count_++; }
  void backup2(const Token& t1) {
    token_[1] = t1;
    peek_count_ = 2;
  }
  void backup3(const Token& t2, const Token& t1) {
    token_[1] = t1;
    token_[2] = t2;
    peek_count_ = 3;
  }
  Token peek() {
    if (peek_count_ > 0) return token_[peek_count_ - 1];
    peek_count_ = 1;
    token_[0] = lex_next();
    return token_[0];
  }
  Token next_non_space() {
    Token t;
    do {
      t = next();
    } while (t.type == TokenType::space);
    return t;
  }
  Token peek_non_space() {
    Token t = next_non_space();
    backup();
    return t;
  }

  [[noreturn]] void errorf(const std::string& msg) {
    throw ParseError{"template: " + name_ + ":" + std::to_string(token_[0].line) + ": " + msg};
  }

  Token expect(TokenType expected, const std::string& context) {
    Token t = next_non_space();
    if (t.type != expected) unexpected(t, context);
    return t;
  }
  Token expect_one_of(TokenType e1, TokenType e2, const std::string& context) {
    Token t = next_non_space();
    if (t.type != e1 && t.type != e2) unexpected(t, context);
    return t;
  }
  [[noreturn]] void unexpected(const Token& t, const std::string& context) {
    if (t.type == TokenType::error) {
      std::string extra;
      if (action_line_ != 0 && action_line_ != t.line) {
        extra = " in action started at " + name_ + ":" + std::to_string(action_line_);
        if (t.val.size() >= 7 && t.val.compare(t.val.size() - 7, 7, " action") == 0) extra = extra.substr(10);
      }
      errorf(t.val + extra);
    }
    errorf("unexpected " + token_string(t) + " in " + context);
  }

  void add(const std::string& name, std::unique_ptr<ListNode> root) {
    auto it = set_->trees.find(name);
    if (it == set_->trees.end() || is_empty_tree(it->second.get())) {
      set_->trees[name] = std::move(root);
      return;
    }
    if (!is_empty_tree(root.get())) errorf("template: multiple definition of template " + go_quote_string(name));
  }

  std::string unquote(const Token& t) {
    auto r = go_unquote(t.val);
    if (!r) errorf(r.error().message);
    return *r;
  }

  void parse_definition() {
    const std::string context = "define clause";
    Token name = expect_one_of(TokenType::string, TokenType::raw_string, context);
    std::string tname = unquote(name);
    expect(TokenType::right_delim, context);
    auto saved_vars = vars_;
    vars_ = {"$"};
    auto [list, end] = item_list();
    if (end->type != NodeType::end) errorf("unexpected " + end->str() + " in " + context);
    add(tname, std::move(list));
    vars_ = saved_vars;
  }

  std::pair<std::unique_ptr<ListNode>, NodePtr> item_list() {
    DepthGuard guard(*this);
    auto list = std::make_unique<ListNode>(peek_non_space().pos);
    while (peek_non_space().type != TokenType::eof) {
      NodePtr n = text_or_action();
      if (n->type == NodeType::end || n->type == NodeType::else_) return {std::move(list), std::move(n)};
      list->nodes.push_back(std::move(n));
    }
    errorf("unexpected EOF");
  }

  NodePtr text_or_action() {
    Token t = next_non_space();
    switch (t.type) {
      case TokenType::text:
        return std::make_unique<TextNode>(t.pos, t.val);
      case TokenType::left_delim: {
        action_line_ = t.line;
        NodePtr n = action();
        action_line_ = 0;
        return n;
      }
      case TokenType::comment:
        return std::make_unique<CommentNode>(t.pos, t.val);
      default:
        unexpected(t, "input");
    }
  }

  NodePtr action() {
    Token t = next_non_space();
    switch (t.type) {
      case TokenType::block:
        return block_control();
      case TokenType::break_:
        return break_control(t.pos, t.line);
      case TokenType::continue_:
        return continue_control(t.pos, t.line);
      case TokenType::else_:
        return else_control();
      case TokenType::end:
        return end_control();
      case TokenType::if_:
        return branch_control(NodeType::if_, true, "if");
      case TokenType::range:
        return branch_control(NodeType::range, false, "range");
      case TokenType::template_:
        return template_control();
      case TokenType::with:
        return branch_control(NodeType::with, false, "with");
      default:
        break;
    }
    backup();
    Token p = peek();
    auto pipe = pipeline("command", TokenType::right_delim);
    return std::make_unique<ActionNode>(p.pos, p.line, std::move(pipe));
  }

  NodePtr break_control(size_t pos, int line) {
    Token t = next_non_space();
    if (t.type != TokenType::right_delim) unexpected(t, "{{break}}");
    if (range_depth_ == 0) errorf("{{break}} outside {{range}}");
    return std::make_unique<BreakNode>(pos, line);
  }
  NodePtr continue_control(size_t pos, int line) {
    Token t = next_non_space();
    if (t.type != TokenType::right_delim) unexpected(t, "{{continue}}");
    if (range_depth_ == 0) errorf("{{continue}} outside {{range}}");
    return std::make_unique<ContinueNode>(pos, line);
  }

  std::unique_ptr<PipeNode> pipeline(const std::string& context, TokenType end) {
    DepthGuard guard(*this);
    Token first = peek_non_space();
    auto pipe = std::make_unique<PipeNode>(first.pos, first.line);
  decls:
    if (Token v = peek_non_space(); v.type == TokenType::variable) {
      next();
      Token after = peek();
      Token nxt = peek_non_space();
      if (nxt.type == TokenType::assign || nxt.type == TokenType::declare) {
        pipe->is_assign = nxt.type == TokenType::assign;
        next_non_space();
        pipe->decl.push_back(std::make_unique<VariableNode>(v.pos, std::vector<std::string>{v.val}));
        vars_.push_back(v.val);
      } else if (nxt.type == TokenType::char_ && nxt.val == ",") {
        next_non_space();
        pipe->decl.push_back(std::make_unique<VariableNode>(v.pos, std::vector<std::string>{v.val}));
        vars_.push_back(v.val);
        if (context == "range" && pipe->decl.size() < 2) {
          switch (peek_non_space().type) {
            case TokenType::variable:
            case TokenType::right_delim:
            case TokenType::right_paren:
              goto decls;
            default:
              errorf("range can only initialize variables");
          }
        }
        errorf("too many declarations in " + context);
      } else if (after.type == TokenType::space) {
        backup3(v, after);
      } else {
        backup2(v);
      }
    }
    for (;;) {
      Token t = next_non_space();
      if (t.type == end) {
        check_pipeline(*pipe, context);
        return pipe;
      }
      switch (t.type) {
        case TokenType::boolean:
        case TokenType::char_constant:
        case TokenType::complex:
        case TokenType::dot:
        case TokenType::field:
        case TokenType::identifier:
        case TokenType::number:
        case TokenType::nil:
        case TokenType::raw_string:
        case TokenType::string:
        case TokenType::variable:
        case TokenType::left_paren:
          backup();
          pipe->cmds.push_back(command());
          break;
        default:
          unexpected(t, context);
      }
    }
  }

  void check_pipeline(const PipeNode& pipe, const std::string& context) {
    if (pipe.cmds.empty()) errorf("missing value for " + context);
    for (size_t i = 1; i < pipe.cmds.size(); i++) {
      switch (pipe.cmds[i]->args[0]->type) {
        case NodeType::boolean:
        case NodeType::dot:
        case NodeType::nil:
        case NodeType::number:
        case NodeType::string:
          errorf("non executable command in pipeline stage " + std::to_string(i + 1));
        default:
          break;
      }
    }
  }

  NodePtr branch_control(NodeType type, bool allow_else_if, const std::string& context) {
    size_t nvars = vars_.size();
    auto pipe = pipeline(context, TokenType::right_delim);
    if (context == "range") range_depth_++;
    auto [list, next_node] = item_list();
    if (context == "range") range_depth_--;
    std::unique_ptr<ListNode> else_list;
    if (next_node->type == NodeType::else_) {
      bool done = false;
      if (allow_else_if && peek().type == TokenType::if_) {
        next();
        else_list = std::make_unique<ListNode>(next_node->pos);
        else_list->nodes.push_back(branch_control(NodeType::if_, true, "if"));
        done = true;
      }
      if (!done) {
        auto [el, nn] = item_list();
        else_list = std::move(el);
        if (nn->type != NodeType::end) errorf("expected end; found " + nn->str());
      }
    }
    vars_.resize(nvars);
    auto node = std::make_unique<BranchNode>(type, pipe->pos, pipe->line);
    node->pipe = std::move(pipe);
    node->list = std::move(list);
    node->else_list = std::move(else_list);
    return node;
  }

  NodePtr end_control() { return std::make_unique<EndNode>(expect(TokenType::right_delim, "end").pos); }

  NodePtr else_control() {
    Token p = peek_non_space();
    if (p.type == TokenType::if_) return std::make_unique<ElseNode>(p.pos, p.line);
    Token t = expect(TokenType::right_delim, "else");
    return std::make_unique<ElseNode>(t.pos, t.line);
  }

  std::string parse_template_name(const Token& t, const std::string& context) {
    if (t.type == TokenType::string || t.type == TokenType::raw_string) return unquote(t);
    unexpected(t, context);
  }

  NodePtr block_control() {
    const std::string context = "block clause";
    Token t = next_non_space();
    std::string name = parse_template_name(t, context);
    auto pipe = pipeline(context, TokenType::right_delim);
    // The block's body is a new template: it starts with only `$` declared.
    auto saved_vars = vars_;
    int saved_range = range_depth_;
    vars_ = {"$"};
    range_depth_ = 0;
    auto [list, end] = item_list();
    if (end->type != NodeType::end) errorf("unexpected " + end->str() + " in " + context);
    add(name, std::move(list));
    vars_ = saved_vars;
    range_depth_ = saved_range;
    return std::make_unique<TemplateNode>(t.pos, t.line, name, std::move(pipe));
  }

  NodePtr template_control() {
    const std::string context = "template clause";
    Token t = next_non_space();
    std::string name = parse_template_name(t, context);
    std::unique_ptr<PipeNode> pipe;
    if (next_non_space().type != TokenType::right_delim) {
      backup();
      pipe = pipeline(context, TokenType::right_delim);
    }
    return std::make_unique<TemplateNode>(t.pos, t.line, name, std::move(pipe));
  }

  std::unique_ptr<CommandNode> command() {
    auto cmd = std::make_unique<CommandNode>(peek_non_space().pos);
    for (;;) {
      peek_non_space();
      NodePtr op = operand();
      if (op) cmd->args.push_back(std::move(op));
      Token t = next();
      if (t.type == TokenType::space) continue;
      if (t.type == TokenType::right_delim || t.type == TokenType::right_paren) {
        backup();
      } else if (t.type != TokenType::pipe) {
        unexpected(t, "operand");
      }
      break;
    }
    if (cmd->args.empty()) errorf("empty command");
    return cmd;
  }

  NodePtr operand() {
    NodePtr node = term();
    if (!node) return nullptr;
    if (peek().type == TokenType::field) {
      auto chain = std::make_unique<ChainNode>(peek().pos, nullptr);
      std::vector<std::string> fields;
      while (peek().type == TokenType::field) fields.push_back(next().val.substr(1));
      switch (node->type) {
        case NodeType::field: {
          auto* f = static_cast<FieldNode*>(node.get());
          std::vector<std::string> ids = f->ident;
          ids.insert(ids.end(), fields.begin(), fields.end());
          return std::make_unique<FieldNode>(chain->pos, std::move(ids));
        }
        case NodeType::variable: {
          auto* v = static_cast<VariableNode*>(node.get());
          std::vector<std::string> ids = v->ident;
          ids.insert(ids.end(), fields.begin(), fields.end());
          return std::make_unique<VariableNode>(chain->pos, std::move(ids));
        }
        case NodeType::boolean:
        case NodeType::string:
        case NodeType::number:
        case NodeType::nil:
        case NodeType::dot:
          errorf("unexpected . after term " + go_quote_string(node->str()));
        default:
          chain->node = std::move(node);
          chain->field = std::move(fields);
          return chain;
      }
    }
    return node;
  }

  static std::vector<std::string> split_field(const std::string& val) {
    // ".a.b" is lexed as separate tokens, so a field token is one name.
    return {val.substr(1)};
  }

  NodePtr term() {
    Token t = next_non_space();
    switch (t.type) {
      case TokenType::identifier:
        if (!has_function_(t.val)) errorf("function " + go_quote_string(t.val) + " not defined");
        return std::make_unique<IdentifierNode>(t.pos, t.val);
      case TokenType::dot:
        return std::make_unique<DotNode>(t.pos);
      case TokenType::nil:
        return std::make_unique<NilNode>(t.pos);
      case TokenType::variable:
        return use_var(t.pos, t.val);
      case TokenType::field:
        return std::make_unique<FieldNode>(t.pos, split_field(t.val));
      case TokenType::boolean:
        return std::make_unique<BoolNode>(t.pos, t.val == "true");
      case TokenType::char_constant:
      case TokenType::complex:
      case TokenType::number:
        return new_number(t);
      case TokenType::left_paren:
        return pipeline("parenthesized pipeline", TokenType::right_paren);
      case TokenType::string:
      case TokenType::raw_string:
        return std::make_unique<StringNode>(t.pos, t.val, unquote(t));
      default:
        backup();
        return nullptr;
    }
  }

  NodePtr use_var(size_t pos, const std::string& name) {
    auto v = std::make_unique<VariableNode>(pos, std::vector<std::string>{name});
    for (const auto& n : vars_)
      if (n == name) return v;
    errorf("undefined variable " + go_quote_string(name));
  }

  NodePtr new_number(const Token& t) {
    auto n = std::make_unique<NumberNode>(t.pos, t.val);
    const std::string& text = t.val;
    if (t.type == TokenType::char_constant) {
      auto r = go_unquote_char(std::string_view(text).substr(1), '\'');
      if (!r) errorf(r.error().message);
      auto [rune, tail] = *r;
      if (tail != "'") errorf("malformed character constant: " + text);
      n->int64 = rune;
      n->is_int = true;
      n->uint64 = rune;
      n->is_uint = true;
      n->float64 = rune;
      n->is_float = true;
      return n;
    }
    if (t.type == TokenType::complex) {
      errorf("complex constants are not supported: " + text);
    }
    if (!text.empty() && text.back() == 'i') {
      double f;
      if (parse_go_float(std::string_view(text).substr(0, text.size() - 1), f)) {
        errorf("complex constants are not supported: " + text);
      }
    }
    uint64_t u = 0;
    int64_t i = 0;
    if (parse_go_int(text, true, i, u)) {
      n->is_uint = true;
      n->uint64 = u;
    }
    if (parse_go_int(text, false, i, u)) {
      n->is_int = true;
      n->int64 = i;
      if (i == 0) {
        n->is_uint = true;
        n->uint64 = 0;
      }
    }
    if (n->is_int) {
      n->is_float = true;
      n->float64 = static_cast<double>(n->int64);
    } else if (n->is_uint) {
      n->is_float = true;
      n->float64 = static_cast<double>(n->uint64);
    } else {
      double f;
      if (parse_go_float(text, f)) {
        if (text.find_first_of(".eEpP") == std::string::npos) errorf("integer overflow: " + go_quote_string(text));
        n->is_float = true;
        n->float64 = f;
        if (!n->is_int && std::fabs(f) < 9.3e18 && static_cast<double>(static_cast<int64_t>(f)) == f) {
          n->is_int = true;
          n->int64 = static_cast<int64_t>(f);
        }
        if (!n->is_uint && f >= 0 && f < 1.8e19 && static_cast<double>(static_cast<uint64_t>(f)) == f) {
          n->is_uint = true;
          n->uint64 = static_cast<uint64_t>(f);
        }
      }
    }
    if (!n->is_int && !n->is_uint && !n->is_float) errorf("illegal number syntax: " + go_quote_string(text));
    return n;
  }
};

}  // namespace

Result<std::shared_ptr<TreeSet>> parse_template(std::string_view text, const std::string& name,
                                                const std::function<bool(std::string_view)>& has_function) {
  try {
    Parser p(text, name, has_function);
    return p.parse();
  } catch (const ParseError& e) {
    return Error::invalid_template(e.message);
  }
}

}  // namespace utask::values
