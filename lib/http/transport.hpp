// The seam between the Graph client and the network.
// The real implementation (beast_transport) is the only code that includes Beast, Asio or
// OpenSSL; tests swap in a scripted fake.
#pragma once

#include "http/message.hpp"

namespace xtsync::http {

class Transport {
 public:
  virtual ~Transport() = default;

  // Sends one request and returns the response, whatever its status.
  // Failures to get a complete response (DNS, connect, TLS, timeout, broken framing) throw
  // xtsync::Error with ErrorKind::network.
  virtual Response send(const Request& request) = 0;

  // Drops any kept-alive connection so the next request opens a new one
  // (Graph asks for a fresh connection when retrying after a 503).
  virtual void reset_connection() {}
};

}  // namespace xtsync::http
