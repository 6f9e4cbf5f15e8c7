#pragma once
// A throwaway public key infrastructure for TLS tests, made with the `openssl` command line:
// a CA, a server certificate for 127.0.0.1 and localhost, and a client certificate
// (extendedKeyUsage clientAuth, CN "<prefix>-client"), all signed by the CA. EC P-256 keys,
// valid for two days. Every file is PEM; keys are unencrypted.
//
// Thread safety: make_test_pki may be called concurrently with distinct directories.

#include <string>

namespace utask::testing {

struct TestPki {
  std::string ca_cert;  // file paths
  std::string ca_key;
  std::string server_cert;
  std::string server_key;
  std::string client_cert;
  std::string client_key;

  // The content of one of the files above.
  static std::string read(const std::string& path);
};

// Writes the files into `directory` (which must exist) under fixed names (ca.crt, ca.key,
// server.crt, ...). Throws std::runtime_error with openssl's output when a command fails.
// `common_name_prefix` names the CA (two PKIs made in one test have distinct CAs).
TestPki make_test_pki(const std::string& directory, const std::string& common_name_prefix = "utask-test");

}  // namespace utask::testing
