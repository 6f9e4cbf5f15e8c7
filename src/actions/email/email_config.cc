#include "actions/email/email_config.h"

#include <cctype>

#include "actions/catalog.h"
#include "actions/config_lists.h"

namespace utask::actions {
namespace {

const std::vector<ConfigField> kFields = {
    {"smtp_username", FieldType::string}, {"smtp_password", FieldType::string},
    {"smtp_port", FieldType::string},     {"smtp_hostname", FieldType::string},
    {"smtp_skip_tls_verify", FieldType::string},
    {"from_address", FieldType::string},  {"from_name", FieldType::string},
    {"to", FieldType::any},               {"subject", FieldType::string},
    {"body", FieldType::string},
};

bool deferred(const std::string& s, bool defer) { return defer && s.find("{{") != std::string::npos; }

// Go's strconv.ParseUint(s, 10, 16).
Result<uint16_t> parse_uint16(const std::string& s) {
  const std::string prefix = "strconv.ParseUint: parsing \"" + s + "\": ";
  if (s.empty()) return Error::invalid_template(prefix + "invalid syntax");
  uint64_t v = 0;
  bool overflow = false;
  for (char c : s) {
    if (!std::isdigit(static_cast<unsigned char>(c))) return Error::invalid_template(prefix + "invalid syntax");
    v = v * 10 + static_cast<uint64_t>(c - '0');
    if (v > 0xFFFF) overflow = true;
  }
  if (overflow) return Error::invalid_template(prefix + "value out of range");
  return static_cast<uint16_t>(v);
}

// Go's strconv.ParseBool.
Result<bool> parse_bool(const std::string& s) {
  for (const char* t : {"1", "t", "T", "TRUE", "true", "True"}) {
    if (s == t) return true;
  }
  for (const char* f : {"0", "f", "F", "FALSE", "false", "False"}) {
    if (s == f) return false;
  }
  return Error::invalid_template("strconv.ParseBool: parsing \"" + s + "\": invalid syntax");
}

}  // namespace

Result<EmailConfig> decode_email_config(const Json& base, const Json& configuration) {
  auto decoded = decode_typed_configuration(base, configuration, kFields);
  if (!decoded) return decoded.error();
  const Json& j = *decoded;
  EmailConfig c;
  c.smtp_username = j.value("smtp_username", "");
  c.smtp_password = j.value("smtp_password", "");
  c.smtp_port = j.value("smtp_port", "");
  c.smtp_hostname = j.value("smtp_hostname", "");
  c.smtp_skip_tls_verify = j.value("smtp_skip_tls_verify", "");
  c.from_address = j.value("from_address", "");
  c.from_name = j.value("from_name", "");
  c.subject = j.value("subject", "");
  c.body = j.value("body", "");
  auto to = decode_string_list(j, "to");
  if (!to) return to.error();
  c.to = std::move(*to);
  return c;
}

Result<void> check_email_config(const EmailConfig& c, bool defer) {
  if (c.smtp_port.empty()) return Error::invalid_template("smtp_port is missing");
  if (!deferred(c.smtp_port, defer)) {
    if (auto port = parse_uint16(c.smtp_port); !port) {
      return Error::invalid_template("can't parse smtp_port field \"" + c.smtp_port + "\": " + port.error().message);
    }
  }
  if (c.smtp_hostname.empty()) return Error::invalid_template("smtp_hostname is missing");
  if (!c.smtp_skip_tls_verify.empty() && !deferred(c.smtp_skip_tls_verify, defer)) {
    if (auto skip = parse_bool(c.smtp_skip_tls_verify); !skip) {
      return Error::invalid_template("can't parse smtp_skip_tls_verify field \"" + c.smtp_skip_tls_verify +
                                     "\": " + skip.error().message);
    }
  }
  if (c.from_address.empty()) return Error::invalid_template("from_address is missing");
  if (c.to.empty()) return Error::invalid_template("to is missing");
  if (c.subject.empty()) return Error::invalid_template("subject is missing");
  if (c.body.empty()) return Error::invalid_template("body is missing");
  return {};
}

uint16_t email_port(const EmailConfig& c) {
  auto port = parse_uint16(c.smtp_port);
  return port ? *port : 0;
}

bool email_skip_tls_verify(const EmailConfig& c) {
  if (c.smtp_skip_tls_verify.empty()) return false;
  auto skip = parse_bool(c.smtp_skip_tls_verify);
  return skip && *skip;
}

}  // namespace utask::actions
