// sprig's env, expandenv and getHostByName. env/expandenv read the server's environment only
// when the configuration allows it (FunctionOptions::allow_env); otherwise they fail, so no
// template can read secrets from the environment by accident.

#include <arpa/inet.h>
#include <netdb.h>
#include <sodium.h>
#include <sys/socket.h>

#include <cstdlib>

#include "values/functions/families.h"
#include "values/functions/support.h"

namespace utask::values::fn {

namespace {

std::string getenv_string(const std::string& name) {
  const char* v = std::getenv(name.c_str());
  return v ? v : "";
}

bool special_var(char c) { return std::string_view("*#$@!?-0123456789").find(c) != std::string_view::npos; }
bool alnum(char c) { return c == '_' || (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }

// os.getShellName: the variable name after '$' and how many bytes it spans.
std::pair<std::string, size_t> shell_name(std::string_view s) {
  if (s[0] == '{') {
    if (s.size() > 2 && special_var(s[1]) && s[2] == '}') return {std::string(s.substr(1, 1)), 3};
    for (size_t i = 1; i < s.size(); ++i) {
      if (s[i] == '}') {
        if (i == 1) return {"", 2};
        return {std::string(s.substr(1, i - 1)), i + 1};
      }
    }
    return {"", 1};
  }
  if (special_var(s[0])) return {std::string(s.substr(0, 1)), 1};
  size_t i = 0;
  while (i < s.size() && alnum(s[i])) ++i;
  return {std::string(s.substr(0, i)), i};
}

// os.Expand with os.Getenv.
std::string expand_env(std::string_view s) {
  std::string buf;
  bool touched = false;
  size_t i = 0;
  for (size_t j = 0; j < s.size(); ++j) {
    if (s[j] == '$' && j + 1 < s.size()) {
      touched = true;
      buf += s.substr(i, j - i);
      auto [name, w] = shell_name(s.substr(j + 1));
      if (name.empty() && w > 0) {
        // invalid syntax: eaten
      } else if (name.empty()) {
        buf += s[j];
      } else {
        buf += getenv_string(name);
      }
      j += w;
      i = j + 1;
    }
  }
  if (!touched) return std::string(s);
  return buf + std::string(s.substr(std::min(i, s.size())));
}

Error disabled(const std::string& name) {
  return call_error(name + " is disabled: reading the server environment from templates is off in this configuration");
}

}  // namespace

void add_os_functions(FunctionTable& t, const FunctionOptions& options) {
  bool allowed = options.allow_env;
  t.add(row("env", "func(key string) string", "An environment variable of the server (only when enabled).",
            R"({{ env "HOME" }})", [allowed](FunctionCall& c) -> Result<Value> {
              if (!allowed) return disabled("env");
              return Value::string(getenv_string(arg_string(c, 0)));
            }));
  t.add(row("expandenv", "func(s string) string", "Replaces $VAR and ${VAR} by environment values (only when enabled).",
            R"({{ expandenv "home: $HOME" }})", [allowed](FunctionCall& c) -> Result<Value> {
              if (!allowed) return disabled("expandenv");
              return Value::string(expand_env(arg_string(c, 0)));
            }));
  t.add(row("getHostByName", "func(name string) string", "One of the addresses the name resolves to.",
            R"({{ getHostByName "localhost" }})", [](FunctionCall& c) -> Result<Value> {
              addrinfo hints{};
              hints.ai_family = AF_UNSPEC;
              hints.ai_socktype = SOCK_STREAM;
              addrinfo* res = nullptr;
              std::vector<std::string> addrs;
              if (getaddrinfo(arg_string(c, 0).c_str(), nullptr, &hints, &res) == 0) {
                for (addrinfo* p = res; p; p = p->ai_next) {
                  char buf[INET6_ADDRSTRLEN] = {0};
                  const void* src =
                      p->ai_family == AF_INET
                          ? static_cast<const void*>(&reinterpret_cast<sockaddr_in*>(p->ai_addr)->sin_addr)
                          : static_cast<const void*>(&reinterpret_cast<sockaddr_in6*>(p->ai_addr)->sin6_addr);
                  if (inet_ntop(p->ai_family, src, buf, sizeof buf)) {
                    std::string a = buf;
                    if (std::find(addrs.begin(), addrs.end(), a) == addrs.end()) addrs.push_back(a);
                  }
                }
                freeaddrinfo(res);
              }
              if (addrs.empty()) return call_error("invalid argument to Intn");
              return Value::string(addrs[randombytes_uniform(uint32_t(addrs.size()))]);
            }));
}

}  // namespace utask::values::fn
