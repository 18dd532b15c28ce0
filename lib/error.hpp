// The one error type xtsync throws for anything a user can act on.
// Its kind decides the process exit code; the rest is what the message shows.
#pragma once

#include <stdexcept>
#include <string>

namespace xtsync {

enum class ErrorKind {
  failure,      // 1: unexpected response, server error after retries
  usage,        // 2: bad arguments or input; nothing was sent
  not_found,    // 3: 404
  auth,         // 4: 401, 403, token acquisition failed
  conflict,     // 5: 409
  throttled,    // 6: 429, 503, 504 after all retries
  network,      // 7: connection, TLS or timeout failure
  interrupted,  // 130: Ctrl-C or SIGTERM
};

// The documented process exit code of a kind (see the contract's exit-code table).
int exit_code(ErrorKind kind) noexcept;

class Error : public std::runtime_error {
 public:
  Error(ErrorKind kind, const std::string& message) : std::runtime_error(message), kind_(kind) {}

  ErrorKind kind() const noexcept { return kind_; }

  // The same failure told differently: a new kind and message, the service's details (status,
  // code, request IDs) kept, no hint (the caller gives its own).
  Error restated(ErrorKind kind, const std::string& message) const {
    Error error(kind, message);
    error.http_status = http_status;
    error.graph_code = graph_code;
    error.request_id = request_id;
    error.client_request_id = client_request_id;
    return error;
  }

  // Details from a Graph error response; empty/0 when the failure was not an HTTP answer.
  int http_status = 0;
  std::string graph_code;
  std::string request_id;
  std::string client_request_id;
  // One line that tells the user how to fix it, when there is an obvious fix.
  std::string hint;

  // For network failures: how far the request got, which decides whether it may be repeated.
  enum class Delivery {
    unknown,           // it may have reached the server (and been carried out)
    not_sent,          // the connection never opened (DNS, connect, TLS, proxy): nothing was sent
    stale_connection,  // a kept-alive connection closed before any byte of an answer
  };
  Delivery delivery = Delivery::unknown;

 private:
  ErrorKind kind_;
};

inline Error usage_error(const std::string& message) { return Error(ErrorKind::usage, message); }

}  // namespace xtsync
