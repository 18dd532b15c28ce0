#include "error.hpp"

namespace xtsync {

int exit_code(ErrorKind kind) noexcept {
  switch (kind) {
    case ErrorKind::failure: return 1;
    case ErrorKind::usage: return 2;
    case ErrorKind::not_found: return 3;
    case ErrorKind::auth: return 4;
    case ErrorKind::conflict: return 5;
    case ErrorKind::throttled: return 6;
    case ErrorKind::network: return 7;
    case ErrorKind::interrupted: return 130;
  }
  return 1;
}

}  // namespace xtsync
