#include "config/redact.h"

#include <gtest/gtest.h>

namespace utask::config {
namespace {

TEST(RedactConnectionString, HidesPasswords) {
  struct Case {
    const char* in;
    const char* out;
  } cases[] = {
      {"postgres://user:pass@db/utask?sslmode=disable", "postgres://user:***@db/utask?sslmode=disable"},
      {"postgresql://u:p%40ss@host:5432/db", "postgresql://u:***@host:5432/db"},
      {"postgres://user@db/utask", "postgres://user@db/utask"},
      {"postgres://db/utask?user=u&password=secret&sslmode=require", "postgres://db/utask?user=u&password=***&sslmode=require"},
      {"host=db user=u password=secret dbname=x", "host=db user=u password=*** dbname=x"},
      {"host=db password = 'se cret' dbname=x", "host=db password = *** dbname=x"},
      {"sqlite:/tmp/utask.db", "sqlite:/tmp/utask.db"},
  };
  for (const auto& c : cases) EXPECT_EQ(redact_connection_string(c.in), c.out) << c.in;
}

}  // namespace
}  // namespace utask::config
