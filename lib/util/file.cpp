#include "util/file.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <istream>

#include "util/fd.hpp"
#include "util/interrupt.hpp"

namespace xtsync::util {

namespace {

Error too_large(const std::string& label, std::size_t limit, ErrorKind kind = ErrorKind::usage) {
  return Error(kind, label + " is larger than " + size_text(limit));
}

}  // namespace

std::string size_text(std::size_t bytes) {
  if (bytes >= 1024 * 1024 && bytes % (1024 * 1024) == 0)
    return std::to_string(bytes / (1024 * 1024)) + " MiB";
  if (bytes >= 1024 && bytes % 1024 == 0) return std::to_string(bytes / 1024) + " KiB";
  return std::to_string(bytes) + " bytes";
}

std::string read_file(const std::string& path, const std::string& label, const ReadOptions& options) {
  const auto fail = [&](const std::string& why) {
    return Error(options.error_kind, "cannot read " + label + ": " + why);
  };
  // O_NONBLOCK so that opening a FIFO nobody writes to does not hang; it is refused below.
  Fd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NONBLOCK));
  if (!fd.valid()) throw fail(std::strerror(errno));
  struct stat st {};
  if (::fstat(fd.get(), &st) != 0) throw fail(std::strerror(errno));
  if (S_ISDIR(st.st_mode)) throw fail("it is a directory");
  if (options.regular_only && !S_ISREG(st.st_mode)) throw fail("it is not a regular file");
  if (S_ISREG(st.st_mode) && static_cast<std::size_t>(st.st_size) > options.max_bytes) {
    throw too_large(label, options.max_bytes, options.error_kind);
  }
  const int flags = ::fcntl(fd.get(), F_GETFL);
  if (flags >= 0) ::fcntl(fd.get(), F_SETFL, flags & ~O_NONBLOCK);

  std::string out;
  char buffer[65536];
  while (true) {
    if (interrupt_requested()) throw Error(ErrorKind::interrupted, "interrupted while reading " + label);
    const ssize_t n = ::read(fd.get(), buffer, sizeof buffer);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) throw fail(std::strerror(errno));
    if (n == 0) break;
    if (out.size() + static_cast<std::size_t>(n) > options.max_bytes) {
      throw too_large(label, options.max_bytes, options.error_kind);
    }
    out.append(buffer, static_cast<std::size_t>(n));
  }
  return out;
}

std::string read_stream(std::istream& in, const std::string& label, std::size_t max_bytes) {
  std::string out;
  char buffer[65536];
  while (in) {
    if (interrupt_requested()) throw Error(ErrorKind::interrupted, "interrupted while reading " + label);
    in.read(buffer, sizeof buffer);
    const auto n = static_cast<std::size_t>(in.gcount());
    if (out.size() + n > max_bytes) throw too_large(label, max_bytes);
    out.append(buffer, n);
  }
  // Ctrl-C interrupts a blocking read of standard input as a failed read.
  if (interrupt_requested()) throw Error(ErrorKind::interrupted, "interrupted while reading " + label);
  if (in.bad()) throw usage_error("cannot read " + label);
  return out;
}

}  // namespace xtsync::util
