#include "engine/dependencies.h"

#include <gtest/gtest.h>

namespace utask::engine {
namespace {

StepState step(std::string name, std::string state, std::vector<std::string> deps = {}) {
  StepState s;
  s.definition.name = std::move(name);
  s.state = std::move(state);
  s.definition.dependencies = std::move(deps);
  return s;
}

TEST(Dependency, ParsesQualifiers) {
  EXPECT_EQ(parse_dependency("a").states, std::vector<std::string>{"DONE"});
  EXPECT_EQ(parse_dependency("a:ANY").states, std::vector<std::string>{"ANY"});
  EXPECT_TRUE(parse_dependency("a:ANY").any());
  const Dependency d = parse_dependency("stepThree:DONE,BAR,FUZZ");
  EXPECT_EQ(d.step, "stepThree");
  EXPECT_EQ(d.states, (std::vector<std::string>{"DONE", "BAR", "FUZZ"}));
  EXPECT_FALSE(d.any());
}

TEST(Dependency, StateListMustContainTheState) {
  std::map<std::string, StepState> steps;
  steps["a"] = step("a", "FOO");
  EXPECT_TRUE(dependency_satisfied(parse_dependency("a:DONE,FOO"), steps));
  EXPECT_FALSE(dependency_satisfied(parse_dependency("a"), steps));
  EXPECT_FALSE(dependency_satisfied(parse_dependency("missing"), steps));
}

TEST(Dependency, AnyNeedsTheWholeAncestryFinal) {
  // indirectDependencies: stepThree PRUNE depends on stepTwo FATAL_ERROR (not final).
  std::map<std::string, StepState> steps;
  steps["two"] = step("two", "FATAL_ERROR");
  steps["three"] = step("three", "PRUNE", {"two"});
  EXPECT_FALSE(dependency_satisfied(parse_dependency("three:ANY"), steps));
  steps["two"].state = "DONE";
  EXPECT_TRUE(dependency_satisfied(parse_dependency("three:ANY"), steps));
  steps["three"].state = "SERVER_ERROR";
  EXPECT_FALSE(dependency_satisfied(parse_dependency("three:ANY"), steps));
}

TEST(DependencyIndex, AnyDependenciesDoNotPrune) {
  std::map<std::string, StepState> steps;
  steps["a"] = step("a", "TODO");
  steps["b"] = step("b", "TODO", {"a"});
  steps["c"] = step("c", "TODO", {"a:ANY"});
  DependencyIndex index;
  index.rebuild(steps);
  EXPECT_EQ(index.dependents("a"), (std::set<std::string>{"b", "c"}));
  EXPECT_EQ(index.prune_dependents("a"), (std::set<std::string>{"b"}));
  EXPECT_TRUE(index.dependents("b").empty());
}

}  // namespace
}  // namespace utask::engine
