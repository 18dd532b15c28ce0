// The emulator's HTTP/1.1 listener (plain or TLS) on a loopback address. Each connection reads
// requests, asks the Emulator what to do, and writes the answer or misbehaves as a fault says.
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <ostream>
#include <string>
#include <vector>

#include "emulator/emulator.hpp"

namespace xtsync::emulator {

struct ServerOptions {
  std::string host = "127.0.0.1";  // must be loopback: 127.0.0.0/8, ::1 or localhost
  std::uint16_t port = 0;          // 0: any free port
  // Both set: TLS (1.2 or newer) with this PEM certificate chain and PEM private key.
  std::string tls_cert_file;
  std::string tls_key_file;
  // Refuse TLS 1.2, as some hardened endpoints do, so clients can prove they speak TLS 1.3.
  bool tls13_only = false;
  // One line per request; null for none.
  std::ostream* log = nullptr;
  // A kept-alive connection with no request for this long is closed.
  std::chrono::seconds idle_timeout{120};
  // Signals (e.g. SIGINT, SIGTERM) that stop a running server; caught only while run() runs.
  std::vector<int> stop_signals;
};

// Largest request body accepted; larger ones get 413.
inline constexpr std::size_t k_max_request_body = 1024 * 1024;

// The event loop is the server's own: callers see run() and stop(), never Asio.
class Server {
 public:
  // Binds at once, so port() and base_url() are known before run(). Throws std::invalid_argument
  // for a non-loopback host or unusable TLS files and std::runtime_error when it cannot listen.
  // Sets the emulator's base URL.
  Server(Emulator& emulator, ServerOptions options);
  ~Server();
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  std::uint16_t port() const;
  // http://127.0.0.1:PORT or https://..., the root clients put before /beta or /v1.0.
  const std::string& base_url() const;

  // Serves on the calling thread until stop() or one of `stop_signals`; call once.
  void run();
  // Stops accepting, closes every open connection and makes run() return. Safe from any
  // thread, before, during or after run().
  void stop();

 private:
  struct Impl;
  struct Loop;
  // Declared first so it is destroyed last: its pending handlers hold references to Impl.
  std::unique_ptr<Loop> loop_;
  std::shared_ptr<Impl> impl_;
};

}  // namespace xtsync::emulator
