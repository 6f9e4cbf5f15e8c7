#pragma once
// What `ssh` sends (actions.md §9 "Execution"): the script text with the auto-result preamble,
// the remote command and stdin with or without bastions, and the address dialled.

#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "model/error.h"

namespace utask::actions {

// The script, preceded in auto-result mode by the original's preamble: a bash EXIT trap
// printing `{"<key>":"<expr>",...}` (each expression expanded by the shell inside double
// quotes, every `"` removed from keys and expressions, newlines of values turned into `\n`)
// as the very last output, without trailing newline.
std::string ssh_script_text(std::string_view script, std::string_view output_mode,
                            const std::map<std::string, std::string>& result);

struct SshInvocation {
  std::string dial;        // host:port of the first connection
  std::string command;     // the exec request
  std::string stdin_data;  // written to the session's stdin, then EOF
};

// Without hops: dial `target`, send the script as command and on stdin. With hops
// [h1..hn]: dial h1, command `h2 -- ... -- hn -- <target>`, the script on stdin. `:22` is added
// to a dialled address without port.
SshInvocation ssh_invocation(const std::string& target, const std::vector<std::string>& hops,
                             const std::string& script_text);

struct HostPort {
  std::string host;  // brackets of IPv6 literals removed
  std::string port;
};

// Go's net.SplitHostPort, with `:22` added when the port is missing. Fails (invalid_input)
// with Go's texts: `address <a>: too many colons in address`, `address <a>: missing ']' in
// address`, ... ; the port must be decimal (`address <a>: invalid port`).
Result<HostPort> split_ssh_address(std::string_view address);

}  // namespace utask::actions
