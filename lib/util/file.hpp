// Reading a whole local input file (or standard input) with a size limit, so a mistaken
// /dev/zero or a huge file is refused instead of filling memory.
#pragma once

#include <cstddef>
#include <iosfwd>
#include <string>

#include "error.hpp"

namespace xtsync::util {

// How much of each kind of local input xtsync reads before calling it a mistake.
inline constexpr std::size_t k_max_secret_bytes = 64 * 1024;          // tokens, secrets
inline constexpr std::size_t k_max_certificate_bytes = 1024 * 1024;   // PEM or PKCS#12
inline constexpr std::size_t k_max_document_bytes = 4 * 1024 * 1024;  // JSON or YAML input

struct ReadOptions {
  std::size_t max_bytes = k_max_document_bytes;
  // Refuse directories, FIFOs, devices: a regular file is expected.
  bool regular_only = true;
  // What a failure is: a bad input file (exit 2) unless the caller says otherwise.
  ErrorKind error_kind = ErrorKind::usage;
};

// The file's bytes. Throws Error(options.error_kind) naming `label` (e.g. "--from-file
// 'x.json'") and the reason (the OS error, "it is a directory", "is larger than 4 MiB").
std::string read_file(const std::string& path, const std::string& label, const ReadOptions& options = {});

// All of a stream (standard input), under the same size limit.
std::string read_stream(std::istream& in, const std::string& label, std::size_t max_bytes);

// "4 MiB", "64 KiB", "100 bytes": sizes in messages.
std::string size_text(std::size_t bytes);

}  // namespace xtsync::util
