#include "support/smtp_sink.h"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>

namespace utask::testing {
namespace {

// argv: folder port username password cert key starttls implicit
const char* const kSinkScript = R"PY(
import asyncio, json, os, ssl, sys
from aiosmtpd.smtp import SMTP, AuthResult, LoginPassword

folder, port, user, password, cert, key, starttls, implicit = sys.argv[1:9]
context = None
if cert:
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(cert, key)

class Store:
    count = 0
    async def handle_DATA(self, server, session, envelope):
        Store.count += 1
        path = os.path.join(folder, "mail-%06d" % Store.count)
        head = {"from": envelope.mail_from, "to": envelope.rcpt_tos,
                "tls": session.ssl is not None, "authenticated": bool(session.authenticated)}
        with open(path + ".tmp", "wb") as f:
            f.write(json.dumps(head).encode() + b"\n" + envelope.original_content)
        os.rename(path + ".tmp", path + ".eml")
        return "250 OK"

def authenticate(server, session, envelope, mechanism, auth_data):
    ok = (isinstance(auth_data, LoginPassword) and auth_data.login == user.encode()
          and auth_data.password == password.encode())
    return AuthResult(success=ok, handled=False)

def factory():
    return SMTP(Store(), hostname="localhost", decode_data=False,
                tls_context=context if starttls == "1" else None,
                authenticator=authenticate if user else None,
                auth_required=bool(user), auth_require_tls=False)

loop = asyncio.new_event_loop()
asyncio.set_event_loop(loop)
server = loop.run_until_complete(loop.create_server(
    factory, host="127.0.0.1", port=int(port), ssl=context if implicit == "1" else None))
print("SINK READY %d" % server.sockets[0].getsockname()[1], flush=True)
loop.run_forever()
)PY";

std::string read_file(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

}  // namespace

SmtpSink::SmtpSink(SmtpSinkOptions options) {
  const std::string d = dir_.str();
  const std::string script = dir_.write("sink.py", kSinkScript);
  std::filesystem::create_directories(dir_.path() / "mail");
  std::string key;
  if (options.starttls || options.implicit_tls) {
    certificate_ = d + "/cert.pem";
    key = d + "/key.pem";
    run_shell("openssl req -x509 -newkey rsa:2048 -nodes -days 1 -subj /CN=localhost"
              " -addext subjectAltName=DNS:localhost,IP:127.0.0.1 -keyout " + key + " -out " + certificate_);
  }
  server_ = std::make_unique<PeerProcess>(
      std::vector<std::string>{"/usr/bin/python3", script, d + "/mail", std::to_string(options.port),
                               options.username, options.password, certificate_, key,
                               options.starttls ? "1" : "0", options.implicit_tls ? "1" : "0"},
      "SINK READY");
  std::istringstream ready(server_->log().substr(server_->log().find("SINK READY") + 10));
  ready >> port_;
  if (port_ <= 0) throw std::runtime_error("the SMTP sink printed no port: " + server_->log());
}

std::vector<ReceivedMail> SmtpSink::messages() const {
  std::vector<std::filesystem::path> files;
  for (const auto& entry : std::filesystem::directory_iterator(dir_.path() / "mail")) {
    if (entry.path().extension() == ".eml") files.push_back(entry.path());
  }
  std::sort(files.begin(), files.end());
  std::vector<ReceivedMail> out;
  for (const auto& f : files) {
    const std::string text = read_file(f);
    const size_t newline = text.find('\n');
    ReceivedMail mail;
    mail.envelope = text.substr(0, newline);
    mail.content = text.substr(newline + 1);
    out.push_back(std::move(mail));
  }
  return out;
}

}  // namespace utask::testing
