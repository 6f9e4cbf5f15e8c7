#pragma once
// The message `email` sends (actions.md §12), shaped as the original's mail library writes it:
// From (`"<name>" <address>`, RFC 2047 when the name is not ASCII), To, Subject (RFC 2047
// Q-encoding when needed), Date, Mime-Version 1.0, the sniffed Content-Type and a
// quoted-printable body, with CRLF line ends.

#include <ctime>
#include <string>
#include <string_view>
#include <vector>

namespace utask::actions {

struct EmailMessage {
  std::string from_address;
  std::string from_name;
  std::vector<std::string> to;
  std::string subject;
  std::string body;
};

// The whole message text; `now` gives the Date header.
std::string compose_email(const EmailMessage& message, std::time_t now);

// Go's mime.QEncoding.Encode("UTF-8", text): unchanged when only printable ASCII (and tabs),
// else encoded words of at most 75 characters separated by spaces.
std::string q_encode_header(std::string_view text);

// Go's mime/quotedprintable writer: lines of at most 76 characters (soft breaks `=`), `=` and
// non-printable bytes as `=XX`, whitespace before a line end encoded, line ends as CRLF.
std::string quoted_printable(std::string_view text);

// The address part of a recipient (`Name <a@b>` → `a@b`; a bare address as it is).
std::string envelope_address(std::string_view recipient);

}  // namespace utask::actions
