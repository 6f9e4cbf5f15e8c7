#include "service/ids.h"

#include <boost/uuid/random_generator.hpp>
#include <boost/uuid/uuid_io.hpp>

namespace utask::service {

std::string new_uuid() {
  // One generator per thread: it is not thread-safe and costly to seed.
  thread_local boost::uuids::random_generator generate;
  return boost::uuids::to_string(generate());
}

}  // namespace utask::service
