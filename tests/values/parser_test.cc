#include "values/parser.h"

#include <gtest/gtest.h>

namespace utask::values {
namespace {

bool known(std::string_view name) { return name == "print" || name == "len" || name == "eq"; }

Result<std::shared_ptr<TreeSet>> parse(std::string_view text) {
  std::function<bool(std::string_view)> f = known;
  return parse_template(text, "t", f);
}

// The tree prints back as Go's Node.String() does.
struct RoundTrip {
  const char* text;
  const char* printed;
};

const RoundTrip kAccepted[] = {
    {"plain", "plain"},
    {"{{.a.b}}", "{{.a.b}}"},
    {"{{ print 1 \"s\" | len }}", "{{print 1 \"s\" | len}}"},
    {"{{ $x := .a }}{{ $x.b }}", "{{$x := .a}}{{$x.b}}"},
    {"{{ if .a }}x{{ else if .b }}y{{ else }}z{{ end }}", "{{if .a}}x{{else}}{{if .b}}y{{else}}z{{end}}{{end}}"},
    {"{{ range $i, $v := .l }}{{ $v }}{{ break }}{{ end }}", "{{range $i, $v := .l}}{{$v}}{{break}}{{end}}"},
    {"{{ with .a }}{{ . }}{{ end }}", "{{with .a}}{{.}}{{end}}"},
    {"{{ (print 1).x }}", "{{(print 1).x}}"},
    {"{{ template \"n\" . }}", "{{template \"n\" .}}"},
    {"{{/* c */}}x", "x"},
};

TEST(Parser, PrintsTreesAsGo) {
  for (const auto& c : kAccepted) {
    auto r = parse(c.text);
    ASSERT_TRUE(r.ok()) << c.text << ": " << r.error().message;
    EXPECT_EQ((*r)->trees.at("t")->str(), c.printed) << c.text;
  }
}

struct Rejected {
  const char* text;
  const char* message;
};

const Rejected kRejected[] = {
    {"{{ nope }}", "template: t:1: function \"nope\" not defined"},
    {"{{ $x }}", "template: t:1: undefined variable \"$x\""},
    {"{{ if 1 }}", "template: t:1: unexpected EOF"},
    {"\n{{ end }}", "template: t:2: unexpected {{end}}"},
    {"{{ break }}", "template: t:1: {{break}} outside {{range}}"},
    {"{{ 1 | 2 }}", "template: t:1: non executable command in pipeline stage 2"},
    {"{{ \"a\".b }}", "template: t:1: unexpected . after term \"\\\"a\\\"\""},
    {"{{ define \"a\" }}x{{ end }}{{ define \"a\" }}y{{ end }}", "template: t:1: template: multiple definition of template \"a\""},
    {"{{ 99999999999999999999 }}", "template: t:1: integer overflow: \"99999999999999999999\""},
    {"{{ if\n1 }}{{ (", "template: t:2: unclosed action"},
};

TEST(Parser, RejectsWithGoMessages) {
  for (const auto& c : kRejected) {
    auto r = parse(c.text);
    ASSERT_FALSE(r.ok()) << c.text;
    EXPECT_EQ(r.error().message, c.message) << c.text;
  }
}

TEST(Parser, DefineAndBlockAddTrees) {
  auto r = parse("{{ define \"a\" }}A{{ end }}{{ block \"b\" . }}B{{ end }}");
  ASSERT_TRUE(r.ok());
  EXPECT_EQ((*r)->trees.size(), 3u);
  EXPECT_EQ((*r)->trees.at("a")->str(), "A");
  EXPECT_EQ((*r)->trees.at("b")->str(), "B");
}

TEST(Parser, NumbersKeepTheirKinds) {
  auto r = parse("{{ print 1 1.5 0x10 'a' }}");
  ASSERT_TRUE(r.ok());
  auto* action = static_cast<ActionNode*>((*r)->trees.at("t")->nodes[0].get());
  const auto& args = action->pipe->cmds[0]->args;
  auto* one = static_cast<NumberNode*>(args[1].get());
  auto* half = static_cast<NumberNode*>(args[2].get());
  auto* hex = static_cast<NumberNode*>(args[3].get());
  auto* chr = static_cast<NumberNode*>(args[4].get());
  EXPECT_TRUE(one->is_int && one->is_float);
  EXPECT_FALSE(half->is_int);
  EXPECT_EQ(hex->int64, 16);
  EXPECT_EQ(chr->int64, 'a');
}

}  // namespace
}  // namespace utask::values
