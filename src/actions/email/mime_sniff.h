#pragma once
// The content type of an e-mail body, sniffed as the original does (Go's
// http.DetectContentType, the WHATWG MIME sniffing algorithm) for the signatures a text body
// can carry: HTML tags, XML, PDF, PostScript, byte order marks, GIF/PNG/JPEG, else
// `text/plain; charset=utf-8` unless binary bytes appear (`application/octet-stream`). Only
// the first 512 bytes count.

#include <string>
#include <string_view>

namespace utask::actions {

std::string sniff_content_type(std::string_view body);

}  // namespace utask::actions
