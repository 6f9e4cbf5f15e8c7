// The JavaScript engine of template variables: completion values as the original printed
// them, its error texts, and the bounds (time, memory, stack) that keep the process alive.

#include "values/js/js_engine.h"

#include <gtest/gtest.h>
#include <pthread.h>

#include <atomic>
#include <chrono>
#include <string>
#include <thread>
#include <vector>

#include "model/json.h"
#include "values/js/error_text.h"

namespace utask::values::js {
namespace {

using std::chrono::milliseconds;
using std::chrono::seconds;

constexpr std::string_view kTimedOut = "Recovered from unsafe JS eval: Timed out variable evaluation";
constexpr std::string_view kOutOfMemory = "Recovered from unsafe JS eval: Memory limit exceeded in variable evaluation";

struct Case {
  const char* program;
  const char* expected;
};

// Each expectation is what the original (otto) printed for the program.
const Case kCompletions[] = {
    {"2 + 2; // javascript\n", "4"},
    {"4 + 2;", "6"},
    {"0.1+0.2", "0.30000000000000004"},
    {"({a: 1})", "[object Object]"},
    {"[1, 2, 'x']", "1,2,x"},
    {"[1, [2, 3], {}]", "1,2,3,[object Object]"},
    {"undefined", "undefined"},
    {"null", "null"},
    {"true", "true"},
    {"var x = 1;", "undefined"},
    {"1; var y = 2;", "1"},
    {"1;;", "1"},
    {"\"raw message\";", "raw message"},
    {"'h\\u00e9llo'", "h\u00e9llo"},
    {"var foo = {\"foo\":\"bar\"};\nfoo.foo;", "bar"},
    {"var o = {\"a\":\"utask\",\"b\":666,\"c\":{\"k\":\"v\"},\"d\":[\"1\",\"2\",\"3\"]};\nJSON.stringify(o);\n",
     "{\"a\":\"utask\",\"b\":666,\"c\":{\"k\":\"v\"},\"d\":[\"1\",\"2\",\"3\"]}"},
    {"1e21", "1e+21"},
    {"1e-7", "1e-7"},
    {"123456789012345678901234567890", "1.2345678901234568e+29"},
    {"-0", "0"},
    {"NaN", "NaN"},
    {"1/0", "Infinity"},
    {"Math.PI", "3.141592653589793"},
    {"(1234.5).toFixed(1)", "1234.5"},
    {"[].concat([1,2]).join('-')", "1-2"},
    {"x = function(){return 1}; x", "function(){return 1}"},
    {"/a/", "/a/"},
    {"({toString: function() { return 'custom'; }})", "custom"},
    {"if (true) { 'then'; } else { 'else'; }", "then"},
    {"var s = 0; for (var i = 0; i < 4; i++) { s += i; } s", "6"},
    {"(function(){ try { throw new Error('x'); } catch (e) { return e.message; } })()", "x"},
    {"eval('1 + 1')", "2"},
    {"new Function('a', 'return a * 2')(21)", "42"},
    {"encodeURIComponent('a b&c')", "a%20b%26c"},
    {"parseInt('0x1f')", "31"},
    {"typeof WebAssembly", "undefined"},  // not exposed: its memories escape the caps
    {"'a'.repeat(3)", "aaa"},              // ES2015: the original rejected it, V8 accepts it
    {"let z = 1; z", "1"},
};

class JsEngineTest : public ::testing::Test {
 protected:
  JsEngine& engine() { return JsEngine::shared(); }
};

TEST_F(JsEngineTest, CompletionValueAsString) {
  for (const Case& c : kCompletions) {
    auto r = engine().evaluate(c.program, seconds(10));
    ASSERT_TRUE(r.ok()) << c.program << " → " << r.error().message;
    EXPECT_EQ(*r, c.expected) << c.program;
  }
}

const Case kErrors[] = {
    {"throw new Error('boom')", "Error: boom"},
    {"throw 'str'", "str"},
    {"throw 42", "42"},
    {"throw {a: 1}", "[object Object]"},
    {"foo.bar", "ReferenceError: 'foo' is not defined"},
    {"x = y + 1", "ReferenceError: 'y' is not defined"},
    {"null.x", "TypeError: Cannot access member 'x' of null"},
    {"var u; u.x", "TypeError: Cannot access member 'x' of undefined"},
    {"var a = {}; a.b.c", "TypeError: Cannot access member 'c' of undefined"},
    {"var f = 1; f()", "TypeError: 'f' is not a function"},
    {"var a = {}; a.b()", "TypeError: 'b' is not a function"},
    {"decodeURIComponent('%')", "URIError: URI malformed"},
    {"new Array(-1)", "RangeError: Invalid array length"},
    {"syntax error here", "(anonymous): Line 1:8 Unexpected identifier"},
    {"}", "(anonymous): Line 1:1 Unexpected token '}'"},
    {"var a = 1;\nvar = 2;", "(anonymous): Line 2:5 Unexpected token '='"},
};

TEST_F(JsEngineTest, ErrorsAsTheOriginalWordedThem) {
  for (const Case& c : kErrors) {
    auto r = engine().evaluate(c.program, seconds(10));
    ASSERT_FALSE(r.ok()) << c.program << " gave " << *r;
    EXPECT_EQ(r.error().message, c.expected) << c.program;
    EXPECT_EQ(r.error().code, ErrorCode::invalid_input);
  }
}

TEST(JsErrorText, RewritesOnlyTheKnownForms) {
  const Case rows[] = {
      {"ReferenceError: nope is not defined", "ReferenceError: 'nope' is not defined"},
      {"TypeError: Cannot read properties of null (reading 'x')", "TypeError: Cannot access member 'x' of null"},
      {"TypeError: Cannot read properties of undefined (reading 'a b')",
       "TypeError: Cannot access member 'a b' of undefined"},
      {"TypeError: a.b.c is not a function", "TypeError: 'c' is not a function"},
      {"TypeError: \"abc\".foo is not a function", "TypeError: 'foo' is not a function"},
      {"TypeError: a[0] is not a function", "TypeError: 'a[0]' is not a function"},
      // unchanged
      {"Error: boom", "Error: boom"},
      {"ReferenceError:  is not defined", "ReferenceError:  is not defined"},
      {"TypeError: Cannot read properties of 5 (reading 'x')", "TypeError: Cannot read properties of 5 (reading 'x')"},
      {"SyntaxError: Unexpected end of JSON input", "SyntaxError: Unexpected end of JSON input"},
  };
  for (const Case& c : rows) EXPECT_EQ(otto_error_text(c.program), c.expected) << c.program;
}

TEST_F(JsEngineTest, JsonForm) {
  auto r = engine().evaluate_json("({b: [1, 'x', true, null], a: {k: 1.5}})", seconds(10));
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(to_json_text(*r), R"({"a":{"k":1.5},"b":[1,"x",true,null]})");
  for (const char* program : {"undefined", "(function(){})", "Symbol('s')", "null"}) {
    auto n = engine().evaluate_json(program, seconds(10));
    ASSERT_TRUE(n.ok()) << program << ": " << n.error().message;
    EXPECT_TRUE(n->is_null()) << program;
  }
  auto cyclic = engine().evaluate_json("var o = {}; o.o = o; o", seconds(10));
  ASSERT_FALSE(cyclic.ok());
  EXPECT_TRUE(cyclic.error().message.starts_with("TypeError: Converting circular structure to JSON"))
      << cyclic.error().message;
}

TEST_F(JsEngineTest, EachEvaluationHasAFreshGlobalScope) {
  ASSERT_TRUE(engine().evaluate("var leaked = 1; Object.prototype.polluted = 2; leaked", seconds(10)).ok());
  auto r = engine().evaluate("typeof leaked + ' ' + typeof ({}).polluted", seconds(10));
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(*r, "undefined undefined");
}

TEST_F(JsEngineTest, InfiniteLoopTimesOut) {
  auto start = std::chrono::steady_clock::now();
  auto r = engine().evaluate("while (true) {}", milliseconds(200));
  auto elapsed = std::chrono::steady_clock::now() - start;
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().message, kTimedOut);
  EXPECT_GE(elapsed, milliseconds(200));
  EXPECT_LT(elapsed, seconds(5));
  // The termination does not leak into the next evaluation on the same isolate.
  auto next = engine().evaluate("1 + 1", seconds(10));
  ASSERT_TRUE(next.ok()) << next.error().message;
  EXPECT_EQ(*next, "2");
}

TEST_F(JsEngineTest, RunawayCodeOutsideTheProgramBodyTimesOut) {
  const char* programs[] = {
      "({toString: function() { while (true) {} }})",             // the completion's conversion
      "throw {toString: function() { while (true) {} }}",         // the exception's conversion
      "/(a+)+b/.test('aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa')",  // catastrophic backtracking
      "function f() { try { f(); } finally { while (true) {} } } f()",
  };
  for (const char* program : programs) {
    auto r = engine().evaluate(program, milliseconds(200));
    ASSERT_FALSE(r.ok()) << program;
    EXPECT_EQ(r.error().message, kTimedOut) << program;
  }
}

TEST_F(JsEngineTest, NonPositiveTimeoutExpiresAtOnce) {
  auto r = engine().evaluate("1", milliseconds(0));
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().message, kTimedOut);
  EXPECT_TRUE(engine().evaluate("1", milliseconds(1000)).ok());
}

TEST_F(JsEngineTest, HugeTimeoutIsAccepted) {
  auto r = engine().evaluate("1", std::chrono::nanoseconds::max());  // Go's longest duration
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(*r, "1");
}

TEST_F(JsEngineTest, LeftoverPromiseJobsNeverRun) {
  auto r = engine().evaluate("Promise.resolve(1).then(function() { while (true) {} }); 5", seconds(10));
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(*r, "5");
  auto next = engine().evaluate("6", seconds(10));
  ASSERT_TRUE(next.ok()) << next.error().message;
  EXPECT_EQ(*next, "6");
}

TEST_F(JsEngineTest, AtomicsWaitCannotBlock) {
  auto r = engine().evaluate("Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 1e9)", seconds(10));
  ASSERT_FALSE(r.ok());
  EXPECT_TRUE(r.error().message.starts_with("TypeError")) << r.error().message;
}

TEST(JsEngineLimits, HeapBombIsStopped) {
  JsEngine engine(JsEngineOptions{.max_workers = 1, .heap_limit_bytes = 32 << 20, .array_buffer_limit_bytes = 8 << 20});
  ASSERT_TRUE(engine.evaluate("1", seconds(10)).ok());
  EXPECT_EQ(engine.workers_started(), 1u);
  const char* bombs[] = {
      "var a = []; while (true) a.push(new Array(100000).fill(1));",
      "var o = {}; for (var i = 0; ; i++) o['key' + i] = 'value' + i;",
      "var s = []; while (true) s.push(Math.random().toString(36) + Math.random());",
  };
  for (const char* bomb : bombs) {
    auto r = engine.evaluate(bomb, seconds(60));
    ASSERT_FALSE(r.ok()) << bomb;
    EXPECT_EQ(r.error().message, kOutOfMemory) << bomb;
    auto after = engine.evaluate("2 + 2", seconds(10));
    ASSERT_TRUE(after.ok()) << after.error().message;
    EXPECT_EQ(*after, "4");
  }
  // The worker survived: it disposed of each exhausted isolate and made a fresh one.
  EXPECT_EQ(engine.workers_started(), 1u);
  EXPECT_EQ(engine.workers_alive(), 1u);
}

// V8 aborts its process on some oversized allocations; only the worker dies.
TEST(JsEngineLimits, CrashingBuiltinCostsOnlyAWorker) {
  JsEngine engine(JsEngineOptions{.max_workers = 1});
  auto r = engine.evaluate("var s = 'ab'; for (var i = 0; i < 27; i++) s += s; s.split('').length", seconds(60));
  ASSERT_FALSE(r.ok());
  EXPECT_TRUE(r.error().message.starts_with("Recovered from unsafe JS eval: the JavaScript engine stopped (signal "))
      << r.error().message;
  auto after = engine.evaluate("2 + 2", seconds(10));
  ASSERT_TRUE(after.ok()) << after.error().message;
  EXPECT_EQ(*after, "4");
  EXPECT_EQ(engine.workers_started(), 2u);
  EXPECT_EQ(engine.workers_alive(), 1u);
}

// One call of a C++ built-in does not notice termination; its worker is killed after a grace
// period instead of holding the caller for minutes.
TEST(JsEngineLimits, StuckBuiltinIsKilled) {
  JsEngine engine(JsEngineOptions{.max_workers = 1});
  auto start = std::chrono::steady_clock::now();
  auto r = engine.evaluate("var a = []; a.length = Math.pow(2, 30); a.fill(1.5); a.length", milliseconds(200));
  auto elapsed = std::chrono::steady_clock::now() - start;
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().message, kTimedOut);
  EXPECT_LT(elapsed, seconds(30));
  auto after = engine.evaluate("'alive'", seconds(10));
  ASSERT_TRUE(after.ok()) << after.error().message;
  EXPECT_EQ(*after, "alive");
}

TEST(JsEngineLimits, ArrayBuffersAreCapped) {
  JsEngine engine(JsEngineOptions{.max_workers = 1, .heap_limit_bytes = 32 << 20, .array_buffer_limit_bytes = 8 << 20});
  auto big = engine.evaluate("new ArrayBuffer(16 << 20).byteLength", seconds(10));
  ASSERT_FALSE(big.ok());
  EXPECT_EQ(big.error().message, "RangeError: Array buffer allocation failed");
  auto many = engine.evaluate("var keep = []; while (true) keep.push(new Uint8Array(1 << 20));", seconds(10));
  ASSERT_FALSE(many.ok());
  EXPECT_EQ(many.error().message, "RangeError: Array buffer allocation failed");
  // Within the budget, and once the garbage is collected, buffers work.
  auto small = engine.evaluate("new Uint8Array(4 << 20).length", seconds(10));
  ASSERT_TRUE(small.ok()) << small.error().message;
  EXPECT_EQ(*small, "4194304");
}

TEST(JsEngineLimits, TooLargeProgramOrResultIsRefused) {
  JsEngine engine(JsEngineOptions{.max_workers = 1, .heap_limit_bytes = 16 << 20, .array_buffer_limit_bytes = 1 << 20});
  std::string program = "'" + std::string(5 << 20, 'x') + "'";  // more than a quarter of the heap
  auto r = engine.evaluate(program, seconds(10));
  ASSERT_FALSE(r.ok());
  EXPECT_TRUE(r.error().message.starts_with(kOutOfMemory)) << r.error().message;
  auto result = engine.evaluate("'x'.repeat(5 << 20)", seconds(10));
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.error().message, std::string(kOutOfMemory) + " (result of 5242880 characters)");
  auto fits = engine.evaluate("'x'.repeat(1 << 20).length", seconds(10));
  ASSERT_TRUE(fits.ok()) << fits.error().message;
  EXPECT_EQ(*fits, "1048576");
}

TEST_F(JsEngineTest, DeepRecursionIsARangeError) {
  auto r = engine().evaluate("function f() { return f() + 1; } f()", seconds(10));
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().message, "RangeError: Maximum call stack size exceeded");
  auto deep = engine().evaluate("function f(n) { return n == 0 ? 0 : 1 + f(n - 1); } f(5000)", seconds(10));
  ASSERT_TRUE(deep.ok()) << deep.error().message;
  EXPECT_EQ(*deep, "5000");
}

// Threads of other libraries may have small stacks; V8's default budget (~1 MiB) would run
// past the end of a 256 KiB stack and crash. A worker forked from such a thread serves on a
// thread of its own with a known stack, and limits JS to what that thread has.
TEST(JsEngineStack, DeepRecursionFromASmallThreadStack) {
  JsEngine engine(JsEngineOptions{.max_workers = 1});  // its worker is forked from the small thread
  struct Shared {
    JsEngine* engine;
    std::string message;
  } shared{&engine, {}};
  pthread_attr_t attr;
  pthread_attr_init(&attr);
  pthread_attr_setstacksize(&attr, 256 * 1024);
  pthread_t thread;
  auto body = [](void* arg) -> void* {
    auto* s = static_cast<Shared*>(arg);
    auto r = s->engine->evaluate("function f() { return f() + 1; } f()", std::chrono::seconds(10));
    s->message = r.ok() ? *r : r.error().message;
    auto deep = s->engine->evaluate("function g(n) { return n == 0 ? 0 : 1 + g(n - 1); } g(5000)",
                                    std::chrono::seconds(10));
    s->message += deep.ok() ? " / " + *deep : " / " + deep.error().message;
    return nullptr;
  };
  ASSERT_EQ(pthread_create(&thread, &attr, body, &shared), 0);
  pthread_join(thread, nullptr);
  pthread_attr_destroy(&attr);
  EXPECT_EQ(shared.message, "RangeError: Maximum call stack size exceeded / 5000");
}

TEST(JsEngineReuse, WorkersAreReused) {
  JsEngine engine(JsEngineOptions{.max_workers = 2});
  for (int i = 0; i < 50; ++i) {
    auto r = engine.evaluate("var n = " + std::to_string(i) + "; n * 2", seconds(10));
    ASSERT_TRUE(r.ok()) << r.error().message;
    EXPECT_EQ(*r, std::to_string(i * 2));
  }
  EXPECT_EQ(engine.workers_started(), 1u);  // sequential evaluations share one worker
}

TEST(JsEngineConcurrency, ManyThreadsWhileOneLoopsForever) {
  JsEngine engine(JsEngineOptions{.max_workers = 3});
  std::atomic<int> failures{0};
  std::string runaway_message;
  std::thread runaway([&] {
    auto r = engine.evaluate("for (;;) {}", milliseconds(500));
    runaway_message = r.ok() ? *r : r.error().message;
  });
  std::vector<std::thread> workers;
  for (int t = 0; t < 6; ++t) {
    workers.emplace_back([&, t] {
      for (int i = 0; i < 20; ++i) {
        int n = t * 1000 + i;
        auto r = engine.evaluate("var a = []; for (var i = 0; i < 100; i++) a.push(i); " + std::to_string(n) +
                                     " + a.length",
                                 seconds(10));
        if (!r.ok() || *r != std::to_string(n + 100)) ++failures;
      }
    });
  }
  for (auto& w : workers) w.join();
  runaway.join();
  EXPECT_EQ(failures.load(), 0);
  EXPECT_EQ(runaway_message, kTimedOut);
  EXPECT_LE(engine.workers_started(), 3u);
}

}  // namespace
}  // namespace utask::values::js
