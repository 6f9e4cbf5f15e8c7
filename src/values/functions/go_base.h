#pragma once
// encoding/base64 (standard alphabet, padded or raw) and encoding/base32 (standard alphabet)
// with Go's decoders: newlines ignored, errors "illegal base64 data at input byte N".

#include <string>
#include <string_view>

#include "model/error.h"

namespace utask::values::fn {

std::string base64_encode(std::string_view in, bool pad);
Result<std::string> base64_decode(std::string_view in, bool pad);
std::string base32_encode(std::string_view in);
Result<std::string> base32_decode(std::string_view in);

}  // namespace utask::values::fn
