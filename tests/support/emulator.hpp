// Starts a real xtsync-emulator process on a free loopback port for one test, and talks to
// its control API (/_emulator/...) to seed state, inject faults and read what it received.
#pragma once

#include <sys/types.h>

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <boost/json/value.hpp>
#include <memory>
#include <string>
#include <vector>

#include "http/transport.hpp"

namespace xtsync::testing {

class Emulator {
 public:
  // Extra command-line arguments, e.g. {"--page-size", "2"}; `ca_file` is needed to reach a TLS emulator.
  explicit Emulator(std::vector<std::string> args = {}, std::string ca_file = {});
  ~Emulator();
  Emulator(const Emulator&) = delete;
  Emulator& operator=(const Emulator&) = delete;

  // e.g. "http://127.0.0.1:40123", as the emulator printed it.
  const std::string& url() const { return url_; }

  http::Response control(const std::string& method, const std::string& path, const std::string& body = {});
  // A Graph request with the default token, e.g. ("POST", "/beta/$batch", body).
  http::Response graph(const std::string& method, const std::string& target, const std::string& body = {});
  // GET /_emulator/stats: the write quota's counters.
  boost::json::object stats();
  void seed(const boost::json::object& seed);
  void fault(const boost::json::object& fault);
  boost::json::object state();
  boost::json::array requests();
  void clear_requests();

 private:
  pid_t pid_ = -1;
  std::string url_;
  std::string log_path_;
  std::unique_ptr<http::Transport> transport_;
};

// The default token the emulator accepts.
inline constexpr const char* kEmulatorToken = "emulator-token";

}  // namespace xtsync::testing
