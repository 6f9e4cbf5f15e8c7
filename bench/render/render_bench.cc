// Parse + render throughput of the template engine, workload by workload (the same workloads
// and data as the Go peer in go/main.go):
//   field       three fields among text
//   chain       long field chains into step outputs
//   range       range with two variables over a list of maps
//   conditions  if / else if with and, ne
//   printf      printf with width, precision and %v of a list
//   sprig       a pipeline of sprig string functions, join, default
//   json        toJson of a map
//   templates   define + template inside range
//   large_text  mostly text, two actions
// Each workload: a warm-up, then five timed runs of N iterations; the best run is reported as
// CSV "workload,impl,iterations,seconds,ops_per_sec".
// Usage: render_bench WORKLOADS DATA ITERATIONS

#include <chrono>
#include <cstdio>
#include <fstream>
#include <sstream>
#include <string>

#include "model/json.h"
#include "values/renderer.h"

namespace {

std::string read_file(const char* path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 4) {
    std::fprintf(stderr, "usage: %s WORKLOADS DATA ITERATIONS\n", argv[0]);
    return 2;
  }
  auto workloads = utask::parse_json(read_file(argv[1]));
  auto data_json = utask::parse_json(read_file(argv[2]));
  if (!workloads || !data_json) {
    std::fprintf(stderr, "bad workloads or data\n");
    return 2;
  }
  const long n = std::stol(argv[3]);
  const utask::values::Value data = utask::values::Value::from_json(*data_json);
  for (const auto& w : *workloads) {
    const std::string name = w["name"].get<std::string>();
    const std::string text = w["template"].get<std::string>();
    auto run = [&](long iters) {
      for (long i = 0; i < iters; i++) {
        auto t = utask::values::Template::parse(text, "tmpl");
        if (!t) {
          std::fprintf(stderr, "%s: %s\n", name.c_str(), t.error().message.c_str());
          std::exit(1);
        }
        auto out = t->execute(data);
        if (!out) {
          std::fprintf(stderr, "%s: %s\n", name.c_str(), out.error().message.c_str());
          std::exit(1);
        }
      }
    };
    run(n / 10);
    double best = 0;
    for (int r = 0; r < 5; r++) {
      auto start = std::chrono::steady_clock::now();
      run(n);
      double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
      if (best == 0 || s < best) best = s;
    }
    std::printf("%s,cpp,%ld,%.6f,%.0f\n", name.c_str(), n, best, static_cast<double>(n) / best);
  }
  return 0;
}
