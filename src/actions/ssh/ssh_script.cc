#include "actions/ssh/ssh_script.h"

#include <cctype>

#include "actions/script/script_util.h"

namespace utask::actions {
namespace {

std::string without_quotes(std::string_view s) {
  std::string out;
  for (char c : s) {
    if (c != '"') out += c;
  }
  return out;
}

// The payload word: '{' '"k":"'"<expr>"'"' , ... '}'.
std::string result_payload(const std::map<std::string, std::string>& result) {
  std::string payload = "'{'";
  bool first = true;
  for (const auto& [key, expr] : result) {
    if (!first) payload += ",";
    first = false;
    payload += "'\"" + without_quotes(key) + "\":\"'\"" + without_quotes(expr) + "\"'\"'";
  }
  payload += "'}'";
  return payload;
}

Result<HostPort> split_host_port(std::string_view a) {
  const std::string address(a);
  auto fail = [&](const std::string& why) {
    return Error::invalid_input("address " + address + ": " + why);
  };
  const size_t last_colon = a.rfind(':');
  if (last_colon == std::string_view::npos) return fail("missing port in address");
  HostPort hp;
  if (!a.empty() && a[0] == '[') {
    const size_t end = a.find(']');
    if (end == std::string_view::npos) return fail("missing ']' in address");
    if (end + 1 == a.size()) return fail("missing port in address");
    if (end + 1 != last_colon) {
      return a[end + 1] == ':' ? fail("too many colons in address") : fail("missing port in address");
    }
    hp.host = std::string(a.substr(1, end - 1));
  } else {
    hp.host = std::string(a.substr(0, last_colon));
    if (hp.host.find(':') != std::string::npos) return fail("too many colons in address");
  }
  if (hp.host.find_first_of("[]") != std::string::npos) return fail("unexpected '[' or ']' in address");
  hp.port = std::string(a.substr(last_colon + 1));
  if (hp.port.empty() || hp.port.size() > 5) return fail("invalid port");
  for (char c : hp.port) {
    if (!std::isdigit(static_cast<unsigned char>(c))) return fail("invalid port");
  }
  if (std::stoi(hp.port) > 65535) return fail("invalid port");
  return hp;
}

}  // namespace

std::string ssh_script_text(std::string_view script, std::string_view output_mode,
                            const std::map<std::string, std::string>& result) {
  if (output_mode != scriptutil::kModeAutoResult) return std::string(script);
  return "function printResultJSON {\n"
         "echo -n " + result_payload(result) + " | sed --posix -z 's/\\n/\\\\n/g'\n"
         "}\n"
         "trap printResultJSON EXIT\n" + std::string(script);
}

SshInvocation ssh_invocation(const std::string& target, const std::vector<std::string>& hops,
                             const std::string& script_text) {
  SshInvocation inv;
  inv.stdin_data = script_text;
  if (hops.empty()) {
    inv.dial = target;
    inv.command = script_text;
  } else {
    inv.dial = hops.front();
    for (size_t i = 1; i < hops.size(); ++i) inv.command += hops[i] + " -- ";
    inv.command += target;
  }
  return inv;
}

Result<HostPort> split_ssh_address(std::string_view address) {
  auto hp = split_host_port(address);
  if (hp) return hp;
  // No port at all: the default one (an IPv6 literal needs its brackets for that).
  const bool bare_ipv6 = !address.empty() && address[0] == '[' && address.back() == ']';
  if (address.find(':') == std::string_view::npos || bare_ipv6) {
    return split_host_port(std::string(address) + ":22");
  }
  return hp;
}

}  // namespace utask::actions
