// The function library: the table's rows (names, signatures, examples), every example rendered,
// and the Go-compatibility helpers behind the functions (casts, time layouts, durations,
// base64/base32, regexp, JSON decoding). Byte-for-byte agreement with Go over thousands of
// cases is the differential test's job (tests/values/cases/fn_*.test); fn_examples.test holds
// the rows' examples so that the oracle checks those too.

#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>
#include <set>

#include "case_file_support.h"
#include "model/json.h"
#include "values/function_call.h"
#include "values/function_table.h"
#include "values/functions/go_base.h"
#include "values/functions/go_json.h"
#include "values/functions/go_regexp.h"
#include "values/functions/go_time.h"
#include "values/functions/support.h"
#include "values/renderer.h"

namespace utask::values {
namespace {

const std::string kExamplesFile = std::string(UTASK_SOURCE_DIR) + "/tests/values/cases/fn_examples.test";

std::string render_ok(const std::string& text, const std::string& data = "{}") {
  auto j = parse_json(data);
  EXPECT_TRUE(j.ok());
  auto r = render(text, *j);
  EXPECT_TRUE(r.ok()) << text << ": " << r.error().message;
  return r.ok() ? *r : "";
}

std::string render_error(const std::string& text, const std::string& data = "{}") {
  auto j = parse_json(data);
  auto r = render(text, *j);
  EXPECT_FALSE(r.ok()) << text << " rendered " << (r.ok() ? *r : "");
  return r.ok() ? "" : r.error().message;
}

// ---- the table ----

TEST(FunctionTable, RowsAreComplete) {
  std::set<std::string> names;
  for (const FunctionRow& row : default_function_table().rows()) {
    EXPECT_TRUE(names.insert(row.name).second) << "duplicate " << row.name;
    EXPECT_EQ(row.signature.rfind("func(", 0), 0u) << row.name;
    EXPECT_FALSE(row.description.empty()) << row.name;
    EXPECT_NE(row.example.find("{{"), std::string::npos) << row.name;
    EXPECT_TRUE(row.impl) << row.name;
    GoSignature sig = parse_go_signature(row.signature);
    EXPECT_LE(sig.results.size(), 1u) << row.name;
  }
}

TEST(FunctionTable, HasSprigAndUtaskFunctions) {
  // sprig v3's generic map minus key/certificate generation, plus µTask's own (engine.md §7.7).
  const char* expected[] = {"ago",
                            "date",
                            "date_in_zone",
                            "date_modify",
                            "dateInZone",
                            "dateModify",
                            "duration",
                            "durationRound",
                            "htmlDate",
                            "htmlDateInZone",
                            "must_date_modify",
                            "mustDateModify",
                            "mustToDate",
                            "now",
                            "toDate",
                            "unixEpoch",
                            "abbrev",
                            "abbrevboth",
                            "trunc",
                            "trim",
                            "upper",
                            "lower",
                            "title",
                            "untitle",
                            "substr",
                            "repeat",
                            "trimall",
                            "trimAll",
                            "trimSuffix",
                            "trimPrefix",
                            "nospace",
                            "initials",
                            "randAlphaNum",
                            "randAlpha",
                            "randAscii",
                            "randNumeric",
                            "swapcase",
                            "shuffle",
                            "snakecase",
                            "camelcase",
                            "kebabcase",
                            "wrap",
                            "wrapWith",
                            "contains",
                            "hasPrefix",
                            "hasSuffix",
                            "quote",
                            "squote",
                            "cat",
                            "indent",
                            "nindent",
                            "replace",
                            "plural",
                            "sha1sum",
                            "sha256sum",
                            "adler32sum",
                            "toString",
                            "atoi",
                            "int64",
                            "int",
                            "float64",
                            "seq",
                            "toDecimal",
                            "split",
                            "splitList",
                            "splitn",
                            "toStrings",
                            "until",
                            "untilStep",
                            "add1",
                            "add",
                            "sub",
                            "div",
                            "mod",
                            "mul",
                            "randInt",
                            "add1f",
                            "addf",
                            "subf",
                            "divf",
                            "mulf",
                            "biggest",
                            "max",
                            "min",
                            "maxf",
                            "minf",
                            "ceil",
                            "floor",
                            "round",
                            "join",
                            "sortAlpha",
                            "default",
                            "empty",
                            "coalesce",
                            "all",
                            "any",
                            "compact",
                            "mustCompact",
                            "fromJson",
                            "toJson",
                            "toPrettyJson",
                            "toRawJson",
                            "mustFromJson",
                            "mustToJson",
                            "mustToPrettyJson",
                            "mustToRawJson",
                            "ternary",
                            "deepCopy",
                            "mustDeepCopy",
                            "typeOf",
                            "typeIs",
                            "typeIsLike",
                            "kindOf",
                            "kindIs",
                            "deepEqual",
                            "env",
                            "expandenv",
                            "getHostByName",
                            "base",
                            "dir",
                            "clean",
                            "ext",
                            "isAbs",
                            "osBase",
                            "osClean",
                            "osDir",
                            "osExt",
                            "osIsAbs",
                            "b64enc",
                            "b64dec",
                            "b32enc",
                            "b32dec",
                            "tuple",
                            "list",
                            "dict",
                            "get",
                            "set",
                            "unset",
                            "hasKey",
                            "pluck",
                            "keys",
                            "pick",
                            "omit",
                            "merge",
                            "mergeOverwrite",
                            "mustMerge",
                            "mustMergeOverwrite",
                            "values",
                            "append",
                            "push",
                            "mustAppend",
                            "mustPush",
                            "prepend",
                            "mustPrepend",
                            "first",
                            "mustFirst",
                            "rest",
                            "mustRest",
                            "last",
                            "mustLast",
                            "initial",
                            "mustInitial",
                            "reverse",
                            "mustReverse",
                            "uniq",
                            "mustUniq",
                            "without",
                            "mustWithout",
                            "has",
                            "mustHas",
                            "slice",
                            "mustSlice",
                            "concat",
                            "dig",
                            "chunk",
                            "mustChunk",
                            "bcrypt",
                            "htpasswd",
                            "derivePassword",
                            "encryptAES",
                            "decryptAES",
                            "randBytes",
                            "uuidv4",
                            "semver",
                            "semverCompare",
                            "fail",
                            "regexMatch",
                            "mustRegexMatch",
                            "regexFindAll",
                            "mustRegexFindAll",
                            "regexFind",
                            "mustRegexFind",
                            "regexReplaceAll",
                            "mustRegexReplaceAll",
                            "regexReplaceAllLiteral",
                            "mustRegexReplaceAllLiteral",
                            "regexSplit",
                            "mustRegexSplit",
                            "regexQuoteMeta",
                            "urlParse",
                            "urlJoin",
                            "hello",
                            "sha512sum",
                            "field",
                            "fieldFrom",
                            "eval",
                            "evalCache",
                            "uuid",
                            "b64RawEnc",
                            "b64RawDec",
                            "jsonmarshal"};
  for (const char* name : expected) EXPECT_NE(default_function_table().find(name), nullptr) << name;
  for (const char* left_out : {"genPrivateKey", "genCA", "genSelfSignedCert", "genSignedCert", "buildCustomCert"}) {
    EXPECT_EQ(default_function_table().find(left_out), nullptr) << left_out;
  }
  EXPECT_EQ(default_function_table().find("nope"), nullptr);
}

TEST(FunctionTable, AddReplacesARowOfTheSameName) {
  FunctionTable t;
  t.add(FunctionRow{"f", "func() string", "first", "{{ f }}",
                    [](FunctionCall&) -> Result<Value> { return Value::string("1"); }});
  t.add(FunctionRow{"f", "func() string", "second", "{{ f }}",
                    [](FunctionCall&) -> Result<Value> { return Value::string("2"); }});
  ASSERT_EQ(t.rows().size(), 1u);
  EXPECT_EQ(t.find("f")->description, "second");
}

// Every example renders (env/expandenv only where the configuration allows them).
TEST(FunctionTable, EveryExampleRenders) {
  auto data = parse_json("{}");
  for (const FunctionRow& row : default_function_table().rows()) {
    if (row.name == "env" || row.name == "expandenv" || row.name == "eval" || row.name == "evalCache") continue;
    auto r = render(row.example, *data);
    EXPECT_TRUE(r.ok()) << row.name << ": " << row.example << ": " << r.error().message;
  }
}

TEST(FunctionTable, EnvIsOffUnlessAllowed) {
  ::setenv("UTASK_FN_TEST_VAR", "value", 1);
  auto off = Template::parse(R"({{ env "UTASK_FN_TEST_VAR" }})", "tmpl");
  ASSERT_TRUE(off.ok());
  auto r = off->execute(Value::map({}));
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().message.find("env is disabled"), std::string::npos);

  const FunctionTable& allowed = default_function_table(FunctionOptions{true});
  auto on =
      Template::parse(R"({{ env "UTASK_FN_TEST_VAR" }}|{{ expandenv "${UTASK_FN_TEST_VAR}-$UTASK_FN_TEST_VAR $ $$" }})",
                      "tmpl", allowed);
  ASSERT_TRUE(on.ok());
  auto ok = on->execute(Value::map({}));
  ASSERT_TRUE(ok.ok()) << ok.error().message;
  EXPECT_EQ(*ok, "value|value-value $ ");
}

// The examples are also a case file, so the differential test compares them with Go.
TEST(FunctionTable, ExamplesAreInTheDifferentialCorpus) {
  auto cases = testing::parse_case_file(kExamplesFile);
  ASSERT_TRUE(cases.ok()) << cases.error().message;
  std::map<std::string, std::string> by_name;
  for (const auto& c : *cases) by_name[c.name] = c.tmpl;
  for (const FunctionRow& row : default_function_table().rows()) {
    auto it = by_name.find("example_" + row.name);
    ASSERT_NE(it, by_name.end()) << "no case example_" << row.name << " in fn_examples.test";
    EXPECT_EQ(it->second, row.example) << row.name;
  }
}

// ---- casts (spf13/cast as sprig uses it) ----

struct CastCase {
  std::string text;
  int64_t as_int;
  double as_float;
};

TEST(Casts, StringsParseAsGo) {
  const CastCase cases[] = {
      {"42", 42, 42},        {"-7", -7, -7},  {"12.0", 12, 12}, {"12.50", 0, 12.5},
      {"0x1F", 31, 0},       {"017", 15, 17}, {"0o17", 15, 0},  {"0b101", 5, 0},
      {"1_000", 1000, 1000}, {"1__0", 0, 0},  {"_1", 0, 0},     {"", 0, 0},
      {"abc", 0, 0},         {" 5", 0, 0},    {"1e3", 0, 1000}, {"99999999999999999999", 0, 1e20},
      {"Inf", 0, HUGE_VAL},  {".5", 0, 0.5},
  };
  for (const auto& c : cases) {
    EXPECT_EQ(fn::to_int64(Value::string(c.text)), c.as_int) << c.text;
    EXPECT_EQ(fn::to_int64(Value::number(c.text)), c.as_int) << c.text;
    EXPECT_EQ(fn::to_float64(Value::string(c.text)), c.as_float) << c.text;
  }
}

TEST(Casts, OtherKinds) {
  EXPECT_EQ(fn::to_int64(Value::floating(-4.7)), -4);
  EXPECT_EQ(fn::to_int64(Value::floating(1e300)), INT64_MIN);  // Go's amd64 conversion
  EXPECT_EQ(fn::to_int64(Value::boolean(true)), 1);
  EXPECT_EQ(fn::to_int64(Value::nil()), 0);
  EXPECT_EQ(fn::to_int64(Value::list({})), 0);
  EXPECT_EQ(fn::to_float64(Value::integer(3)), 3.0);
  EXPECT_EQ(fn::to_float64(Value::map({})), 0.0);
}

TEST(Empty, GoZeroValues) {
  EXPECT_TRUE(fn::is_empty(Value::missing()));
  EXPECT_TRUE(fn::is_empty(Value::string("")));
  EXPECT_TRUE(fn::is_empty(Value::integer(0)));
  EXPECT_TRUE(fn::is_empty(Value::floating(0)));
  EXPECT_TRUE(fn::is_empty(Value::list({})));
  EXPECT_FALSE(fn::is_empty(Value::number("0")));  // json.Number is a non-empty string
  EXPECT_FALSE(fn::is_empty(Value::time(fn::zero_time())));
  EXPECT_FALSE(fn::is_empty(Value::string(" ")));
}

TEST(DeepEqual, TypesMustMatch) {
  EXPECT_TRUE(fn::deep_equal(Value::list({Value::integer(1)}), Value::list({Value::integer(1)})));
  EXPECT_FALSE(fn::deep_equal(Value::integer(1), Value::floating(1)));
  EXPECT_FALSE(fn::deep_equal(Value::integer(1), Value::number("1")));
  EXPECT_FALSE(fn::deep_equal(Value::integer(1), Value::integer(1).with_go_type(Value::GoType::int64)));
  EXPECT_TRUE(fn::deep_equal(Value::nil(), Value::missing()));
}

// ---- time ----

Time utc(int64_t sec, int32_t nanos = 0) { return fn::time_in(sec, nanos, *fn::utc_location()); }

TEST(GoTime, FormatsLayouts) {
  Time t = utc(1600000000, 123456789);  // 2020-09-13 12:26:40.123456789 UTC, a Sunday
  EXPECT_EQ(fn::format_time(t, "2006-01-02 15:04:05"), "2020-09-13 12:26:40");
  EXPECT_EQ(fn::format_time(t, "Mon Monday Jan January 1 01 2 _2 02 002 __2"),
            "Sun Sunday Sep September 9 09 13 13 13 257 257");
  EXPECT_EQ(fn::format_time(t, "3 03 4 04 5 05 PM pm 06"), "12 12 26 26 40 40 PM pm 20");
  EXPECT_EQ(fn::format_time(t, ".000 .999 ,000000 .9"), ".123 .123 ,123456 .1");
  EXPECT_EQ(fn::format_time(t, "Z07:00 -07:00 MST"), "Z +00:00 UTC");
  EXPECT_EQ(fn::format_time(t, "Janx Monx"), "Janx Monx");  // not a month/day name
  EXPECT_EQ(fn::format_time_string(fn::zero_time()), "0001-01-01 00:00:00 +0000 UTC");
  EXPECT_EQ(fn::format_time_rfc3339_nano(t), "2020-09-13T12:26:40.123456789Z");
}

TEST(GoTime, Zones) {
  auto paris = fn::load_location("Europe/Paris");
  ASSERT_NE(paris, nullptr);
  EXPECT_EQ(fn::format_time(fn::time_in(1600000000, 0, *paris), "15:04 MST -0700"), "14:26 CEST +0200");
  EXPECT_EQ(fn::format_time(fn::time_in(1580000000, 0, *paris), "15:04 MST -0700"), "01:53 CET +0100");
  EXPECT_EQ(fn::load_location("Nope/Zone"), nullptr);
  EXPECT_EQ(fn::load_location("../etc/passwd"), nullptr);
  EXPECT_NE(fn::load_location(""), nullptr);
  Time fixed = utc(0);
  fixed.utc_offset_seconds = 5400;
  fixed.zone_name = "";
  EXPECT_EQ(fn::format_time(fixed, "MST"), "+0130");
}

TEST(GoTime, ParsesLayouts) {
  auto t = fn::parse_time("2006-01-02T15:04:05Z07:00", "2020-03-04T05:06:07+02:00", *fn::utc_location());
  ASSERT_TRUE(t.ok());
  EXPECT_EQ(t->unix_seconds, 1583291167);
  EXPECT_EQ(fn::format_time_string(*t), "2020-03-04 05:06:07 +0200 +0200");
  auto pm = fn::parse_time("Jan _2 2006 3:04PM", "Feb  3 2021 4:05PM", *fn::utc_location());
  ASSERT_TRUE(pm.ok());
  EXPECT_EQ(fn::format_time_string(*pm), "2021-02-03 16:05:00 +0000 UTC");
  auto year0 = fn::parse_time("15:04", "10:30", *fn::utc_location());
  ASSERT_TRUE(year0.ok());
  EXPECT_EQ(fn::format_time_string(*year0), "0000-01-01 10:30:00 +0000 UTC");
}

TEST(GoTime, ParseErrorsAreGos) {
  auto bad = fn::parse_time("2006-01-02", "bad", *fn::utc_location());
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().message, R"(parsing time "bad" as "2006-01-02": cannot parse "bad" as "2006")");
  auto range = fn::parse_time("2006-01-02", "2020-13-01", *fn::utc_location());
  ASSERT_FALSE(range.ok());
  EXPECT_EQ(range.error().message, R"(parsing time "2020-13-01": month out of range)");
  auto extra = fn::parse_time("2006", "2020x", *fn::utc_location());
  ASSERT_FALSE(extra.ok());
  EXPECT_EQ(extra.error().message, R"(parsing time "2020x": extra text: "x")");
  auto day = fn::parse_time("2006-01-02", "2021-02-29", *fn::utc_location());
  ASSERT_FALSE(day.ok());
  EXPECT_EQ(day.error().message, R"(parsing time "2021-02-29": day out of range)");
}

TEST(GoDuration, ParsesAndFormats) {
  struct Case {
    const char* text;
    int64_t nanos;
    const char* printed;
  };
  const Case cases[] = {{"36h", 129600000000000, "36h0m0s"},
                        {"-1.5h", -5400000000000, "-1h30m0s"},
                        {"1h30m", 5400000000000, "1h30m0s"},
                        {"300ms", 300000000, "300ms"},
                        {"1.5us", 1500, "1.5µs"},
                        {"1µs", 1000, "1µs"},
                        {"0", 0, "0s"},
                        {"2s3ns", 2000000003, "2.000000003s"}};
  for (const auto& c : cases) {
    auto d = fn::parse_duration(c.text);
    ASSERT_TRUE(d.ok()) << c.text;
    EXPECT_EQ(*d, c.nanos) << c.text;
    EXPECT_EQ(fn::format_duration(*d), c.printed) << c.text;
  }
  EXPECT_EQ(fn::parse_duration("1d").error().message, R"(time: unknown unit "d" in duration "1d")");
  EXPECT_EQ(fn::parse_duration("12").error().message, R"(time: missing unit in duration "12")");
  EXPECT_EQ(fn::parse_duration("").error().message, R"(time: invalid duration "")");
  EXPECT_EQ(fn::parse_duration("9999999999h").error().message, R"(time: invalid duration "9999999999h")");
}

// ---- encodings ----

TEST(GoBase, Base64DecodeAsGo) {
  EXPECT_EQ(*fn::base64_decode("aGVsbG8=", true), "hello");
  EXPECT_EQ(*fn::base64_decode("aGVs\nbG8=", true), "hello");
  EXPECT_EQ(*fn::base64_decode("aGVsbG8", false), "hello");
  EXPECT_EQ(fn::base64_decode("aGVsbG8", true).error().message, "illegal base64 data at input byte 4");
  EXPECT_EQ(fn::base64_decode("!!!!", true).error().message, "illegal base64 data at input byte 0");
  EXPECT_EQ(fn::base64_decode("aGVsbG8=x", true).error().message, "illegal base64 data at input byte 8");
  EXPECT_EQ(fn::base64_decode("aGVsbG8=", false).error().message, "illegal base64 data at input byte 7");
  EXPECT_EQ(fn::base64_encode("ab", true), "YWI=");
  EXPECT_EQ(fn::base64_encode("ab", false), "YWI");
}

TEST(GoBase, Base32AsGo) {
  EXPECT_EQ(fn::base32_encode("hello"), "NBSWY3DP");
  EXPECT_EQ(fn::base32_encode("a"), "ME======");
  EXPECT_EQ(*fn::base32_decode("ME======"), "a");
  EXPECT_EQ(fn::base32_decode("NBSWY3D").error().message, "illegal base32 data at input byte 0");
  EXPECT_EQ(fn::base32_decode("ME=====").error().message, "illegal base32 data at input byte 7");
  EXPECT_EQ(fn::base32_decode("nbswy3dp").error().message, "illegal base32 data at input byte 0");
}

TEST(GoJson, DecodeErrorsAreGos) {
  struct Case {
    const char* text;
    const char* error;
  };
  const Case cases[] = {
      {"", "unexpected end of JSON input"},
      {"bad", "invalid character 'b' looking for beginning of value"},
      {R"({"a" 1})", "invalid character '1' after object key"},
      {R"({"a": 1 x})", "invalid character 'x' after object key:value pair"},
      {"[1 2]", "invalid character '2' after array element"},
      {"{1:2}", "invalid character '1' looking for beginning of object key string"},
      {"tru", "invalid character ' ' in literal true (expecting 'e')"},
      {"1.x", "invalid character 'x' after decimal point in numeric literal"},
      {"1 2", "invalid character '2' after top-level value"},
      {"1e400", "json: cannot unmarshal number 1e400 into Go value of type float64"},
  };
  for (const auto& c : cases) {
    auto r = fn::go_json_unmarshal(c.text);
    ASSERT_FALSE(r.ok()) << c.text;
    EXPECT_EQ(r.error().message, c.error) << c.text;
  }
  auto ok = fn::go_json_unmarshal(R"({"a":[1,2.5,"\u00e9\ud800"],"a":{"b":null}})");
  ASSERT_TRUE(ok.ok());
  EXPECT_TRUE(ok->as_map().at("a").is(Value::Kind::map));  // the last duplicate wins
}

TEST(GoJson, EncodesAsGo) {
  Value v = Value::map({{"b", Value::list({Value::floating(1e21), Value::number("1.50"), Value::nil()})},
                        {"a", Value::string("<&>\u2028")}});
  EXPECT_EQ(*fn::go_json_marshal(v), R"({"a":"\u003c\u0026\u003e\u2028","b":[1e+21,1.50,null]})");
  EXPECT_EQ(*fn::go_json_marshal(v, fn::JsonStyle{false, false}), "{\"a\":\"<&>\\u2028\",\"b\":[1e+21,1.50,null]}");
  EXPECT_EQ(*fn::go_json_marshal(Value::list({Value::integer(1)}), fn::JsonStyle{true, true}), "[\n  1\n]");
  EXPECT_EQ(fn::go_json_marshal(Value::floating(NAN)).error().message, "json: unsupported value: NaN");
  EXPECT_EQ(fn::go_json_marshal(Value::number("abc")).error().message, R"(json: invalid number literal "abc")");
}

// ---- regexp ----

TEST(GoRegexp, CompileErrorsAreGos) {
  EXPECT_EQ(fn::compile_regexp("(").error().message, "error parsing regexp: missing closing ): `(`");
  EXPECT_EQ(fn::compile_regexp("a**").error().message,
            "error parsing regexp: invalid nested repetition operator: `**`");
  EXPECT_EQ(fn::compile_regexp("[z-a]").error().message, "error parsing regexp: invalid character class range: `z-a`");
  EXPECT_TRUE(fn::compile_regexp("(?P<n>a)").ok());
}

TEST(GoRegexp, IteratesAsGo) {
  auto re = fn::compile_regexp("a*");
  ASSERT_TRUE(re.ok());
  EXPECT_EQ(fn::regexp_replace_all(**re, "baaac", "-", false), "-b-c-");
  EXPECT_EQ(fn::regexp_find_all(**re, "baaab", -1), (std::vector<std::string>{"", "aaa", ""}));
  auto groups = fn::compile_regexp("(?P<first>\\w)(\\w*)");
  EXPECT_EQ(fn::regexp_replace_all(**groups, "hello world", "${2}-$first $$ $9", false), "ello-h $  orld-w $ ");
  EXPECT_EQ(fn::regexp_replace_all(**groups, "hi", "$1", true), "$1");
  auto comma = fn::compile_regexp(",");
  EXPECT_EQ(fn::regexp_split(**comma, "a,b,c", 2), (std::vector<std::string>{"a", "b,c"}));
  EXPECT_EQ(fn::regexp_quote_meta("1.2[x]"), "1\\.2\\[x\\]");
}

// Go reads an invalid byte as U+FFFD: `.` matches it, offsets stay those of the original text.
TEST(GoRegexp, InvalidUtf8IsOneRune) {
  auto dot = fn::compile_regexp("^.b.$");
  ASSERT_TRUE(dot.ok());
  EXPECT_TRUE(fn::regexp_match(**dot,
                               "\xff"
                               "b\xfe"));
  EXPECT_FALSE(fn::regexp_match(**dot,
                                "\xff"
                                "bb\xfe"));
  auto any = fn::compile_regexp(".");
  EXPECT_EQ(fn::regexp_find_all(**any,
                                "a\xff"
                                "b",
                                -1),
            (std::vector<std::string>{"a", "\xff", "b"}));
  auto x = fn::compile_regexp("x*");
  EXPECT_EQ(fn::regexp_replace_all(**x, "\xff", "-", false), "-\xff-");
}

// ---- through the renderer: rules with a passing and a failing case ----

TEST(Functions, StringRules) {
  EXPECT_EQ(render_ok(R"({{ trunc -3 "hello" }}|{{ trunc 3 "hello" }}|{{ trunc -9 "hi" }})"), "llo|hel|hi");
  EXPECT_EQ(render_ok(R"({{ substr 1 3 "hello" }}|{{ substr 2 99 "hello" }})"), "el|llo");
  EXPECT_NE(render_error(R"({{ substr 2 1 "abc" }})").find("slice bounds out of range [2:1]"), std::string::npos);
  EXPECT_EQ(render_ok(R"({{ snakecase "HTTPServer" }} {{ camelcase "http_server" }} {{ kebabcase "NoHTTPS" }})"),
            "http_server HttpServer no-https");
  EXPECT_EQ(render_ok(R"({{ nospace "a b" }}|{{ nospace "é è" }})"), "ab|\xC3\x83\xC2\xA9\xC3\x83\xC2\xA8");
  EXPECT_NE(render_error(R"({{ repeat -1 "x" }})").find("strings: negative Repeat count"), std::string::npos);
}

TEST(Functions, DefaultRules) {
  EXPECT_EQ(render_ok(R"({{ default "d" .a }}|{{ default "d" .b }}|{{ default "d" .c }}|{{ default "d" .m }})",
                      R"({"a": 0, "b": "", "c": [], "d": 1})"),
            "0|d|d|d");  // a JSON number is json.Number, a string: never empty
  EXPECT_EQ(render_ok(R"({{ default "d" (sub 1 1) }}|{{ coalesce 0 "" "x" }})"), "d|x");
  EXPECT_NE(render_error(R"({{ fail "stop" }})").find("error calling fail: stop"), std::string::npos);
}

TEST(Functions, MathRules) {
  EXPECT_EQ(
      render_ok(R"({{ add 1 "2" .n }} {{ add .f 1 }} {{ divf 1 3 }} {{ addf 0.1 0.2 }})", R"({"n": 3, "f": 1.50})"),
      "6 1 0.3333333333333333 0.3");
  EXPECT_NE(render_error(R"({{ div 1 0 }})").find("integer divide by zero"), std::string::npos);
  EXPECT_NE(render_error(R"({{ randInt 2 2 }})").find("invalid argument to Intn"), std::string::npos);
}

TEST(Functions, DictsAreReferences) {
  EXPECT_EQ(
      render_ok(R"({{ $d := dict "a" 1 }}{{ $_ := set $d "b" 2 }}{{ $_ := merge $d (dict "a" 9 "c" 3) }}{{ $d }})"),
      "map[a:1 b:2 c:3]");
  EXPECT_EQ(render_ok(R"({{ $a := dict "x" 1 }}{{ $b := deepCopy $a }}{{ $_ := set $b "x" 2 }}{{ $a.x }}{{ $b.x }})"),
            "12");
  EXPECT_NE(render_error(R"({{ dig "a" "b" "d" (dict "a" 1) }})").find("interface conversion"), std::string::npos);
}

// Go accepts a map holding itself and then overflows its stack printing it; refused here.
TEST(Functions, MapsCannotHoldThemselves) {
  EXPECT_EQ(render_ok(R"({{ $a := dict }}{{ $b := dict "a" $a }}{{ $_ := set $a "x" 1 }}{{ $b }})"), "map[a:map[x:1]]");
  EXPECT_NE(render_error(R"({{ $d := dict }}{{ $_ := set $d "self" $d }})").find("set: a map cannot contain itself"),
            std::string::npos);
  EXPECT_NE(render_error(R"({{ $a := dict }}{{ $b := dict "a" $a }}{{ $_ := set $a "b" (list $b) }})")
                .find("a map cannot contain itself"),
            std::string::npos);
  EXPECT_NE(
      render_error(R"({{ $d := dict }}{{ $_ := merge $d (dict "x" $d) }})").find("merge: a map cannot contain itself"),
      std::string::npos);
}

TEST(Functions, OutputsAreBounded) {
  EXPECT_NE(render_error(R"({{ repeat 1000000000 "ab" }})").find("too large"), std::string::npos);
  EXPECT_NE(render_error(R"({{ randAlpha 1000000000 }})").find("too long"), std::string::npos);
  EXPECT_NE(render_error(R"({{ until 100000000 | len }})").find("too many elements"), std::string::npos);
  EXPECT_EQ(render_ok(R"({{ until 1000 | len }} {{ repeat 1000 "x" | len }})"), "1000 1000");
}

TEST(Functions, ListRules) {
  EXPECT_EQ(render_ok(R"({{ list 1 2 3 | rest }} {{ uniq (list 1 "1" 1) }} {{ chunk 2 (list 1 2 3) }})"),
            "[2 3] [1 1] [[1 2] [3]]");
  EXPECT_NE(render_error(R"({{ first "abc" }})").find("Cannot find first on type string"), std::string::npos);
  EXPECT_NE(render_error(R"({{ first nil }})").find("nil pointer dereference"), std::string::npos);
}

TEST(Functions, SemverRules) {
  EXPECT_EQ(
      render_ok(
          R"({{ semverCompare "^1.2" "1.9.0" }} {{ semverCompare "~1.2.3" "1.3.0" }} {{ semverCompare ">=1.0.0" "1.0.0-beta" }})"),
      "true false false");
  EXPECT_EQ(render_ok(R"({{ (semver "v1.2.3-beta").Minor }} {{ semverCompare "1.2 - 1.4" "1.4.9" }})"), "2 true");
  EXPECT_NE(render_error(R"({{ semverCompare "bad" "1.0.0" }})").find("improper constraint: bad"), std::string::npos);
  EXPECT_NE(render_error(R"({{ semver "x" }})").find("Invalid Semantic Version"), std::string::npos);
}

TEST(Functions, DateRules) {
  EXPECT_EQ(render_ok(R"({{ dateInZone "2006-01-02 15:04 MST" 1600000000 "Asia/Tokyo" }})"), "2020-09-13 21:26 JST");
  EXPECT_EQ(render_ok(R"({{ toDate "2006-01-02" "2020-01-01" | dateModify "36h" | unixEpoch }})"), "1577966400");
  EXPECT_EQ(render_ok(R"({{ duration "95" }} {{ duration 95 }} {{ durationRound "400h" }})"), "1m35s 0s 16d");
  EXPECT_NE(render_error(R"({{ mustToDate "2006" "x" }})").find(R"(cannot parse "x" as "2006")"), std::string::npos);
}

TEST(Functions, UtaskRules) {
  const std::string data = R"({"a": {"b-c": {"d": 1}, "n": null}})";
  EXPECT_EQ(render_ok(R"({{ field "a" "b-c" "d" }}|{{ field "a" "x" }}|{{ .a | fieldFrom "b-c" "d" }})", data),
            "1|<no value>|1");
  EXPECT_NE(render_error(R"({{ "x" | fieldFrom "a" }})").find("unable to cast given data to a map[string]"),
            std::string::npos);
  EXPECT_EQ(render_ok(R"({{ (fromJson "{\"n\": 12345678}").n }}|{{ fromJson "bad" }})"), "1.2345678e+07|<no value>");
  EXPECT_NE(render_error(R"({{ mustFromJson "[1 2]" }})").find("invalid character '2' after array element"),
            std::string::npos);
  EXPECT_EQ(render_ok(R"({{ b64RawEnc "hi" }} {{ b64RawDec "aGk" }} {{ b64RawDec "a" }})"),
            "aGk hi illegal base64 data at input byte 0");
  EXPECT_EQ(render_ok(R"({{ jsonmarshal (dict "a" "<b>") }})"), R"({"a":"<b>"})");
  EXPECT_NE(render_error(R"({{ eval "v" }})").find("Var name not found in template: 'v'"), std::string::npos);
}

}  // namespace
}  // namespace utask::values
