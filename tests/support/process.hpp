// Runs a program the way a user's shell would, and captures what it printed.
#pragma once

#include <map>
#include <string>
#include <vector>

namespace xtsync::testing {

struct ProcessResult {
  int exit_code = -1;  // 128+N when killed by signal N
  std::string out;
  std::string err;
};

struct ProcessOptions {
  std::vector<std::string> args;               // without argv[0]
  std::map<std::string, std::string> env;      // added to a minimal environment (PATH, HOME)
  std::string stdin_data;                      // written to the child's stdin, then closed
  int timeout_seconds = 60;                    // the child is killed after this
  int interrupt_after_ms = 0;                  // if > 0, `interrupt_signal` is sent to the child after this long
  int interrupt_signal = 2;                    // SIGINT
  std::string working_directory;               // empty: the test's own
};

ProcessResult run_process(const std::string& program, const ProcessOptions& options);

// Where `name` is on the children's PATH (see run_process); empty when it is not installed.
std::string find_program(const std::string& name);

// A fresh temporary directory, removed with everything in it when the object goes away.
class TempDir {
 public:
  TempDir();
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const std::string& path() const { return path_; }
  std::string file(const std::string& name) const { return path_ + "/" + name; }
  std::string write(const std::string& name, const std::string& content, unsigned mode = 0600) const;

 private:
  std::string path_;
};

}  // namespace xtsync::testing
