#include "support/test_pki.h"

#include <array>
#include <cstdio>
#include <fstream>
#include <sstream>
#include <stdexcept>

namespace utask::testing {
namespace {

void run(const std::string& command) {
  std::string out;
  FILE* pipe = popen((command + " 2>&1").c_str(), "r");
  if (pipe == nullptr) throw std::runtime_error("cannot run " + command);
  std::array<char, 512> buf{};
  while (fgets(buf.data(), buf.size(), pipe) != nullptr) out += buf.data();
  if (pclose(pipe) != 0) throw std::runtime_error(command + " failed: " + out);
}

void write(const std::string& path, const std::string& content) {
  std::ofstream(path, std::ios::binary) << content;
}

// A key and a certificate signing request, then the certificate signed by the CA with the
// extensions of `extensions` (an openssl extfile body).
void issue(const std::string& dir, const std::string& name, const std::string& subject,
           const std::string& extensions) {
  const std::string base = "'" + dir + "/" + name;
  write(dir + "/" + name + ".ext", extensions);
  run("openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -keyout " + base +
      ".key' -out " + base + ".csr' -subj '" + subject + "'");
  run("openssl x509 -req -in " + base + ".csr' -CA '" + dir + "/ca.crt' -CAkey '" + dir +
      "/ca.key' -CAcreateserial -days 2 -out " + base + ".crt' -extfile " + base + ".ext'");
}

}  // namespace

std::string TestPki::read(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

TestPki make_test_pki(const std::string& directory, const std::string& common_name_prefix) {
  const std::string& d = directory;
  run("openssl req -x509 -new -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 2 -keyout '" +
      d + "/ca.key' -out '" + d + "/ca.crt' -subj '/CN=" + common_name_prefix +
      "-ca' -addext basicConstraints=critical,CA:TRUE -addext keyUsage=critical,keyCertSign,cRLSign");
  issue(d, "server", "/CN=127.0.0.1",
        "basicConstraints=CA:FALSE\nkeyUsage=digitalSignature\nextendedKeyUsage=serverAuth\n"
        "subjectAltName=IP:127.0.0.1,DNS:localhost\n");
  issue(d, "client", "/CN=" + common_name_prefix + "-client",
        "basicConstraints=CA:FALSE\nkeyUsage=digitalSignature\nextendedKeyUsage=clientAuth\n");
  return TestPki{d + "/ca.crt",     d + "/ca.key",     d + "/server.crt",
                 d + "/server.key", d + "/client.crt", d + "/client.key"};
}

}  // namespace utask::testing
