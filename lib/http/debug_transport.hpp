// --debug: a Transport decorator that writes every exchange to a log stream with secrets
// redacted, so users can see what was sent without leaking tokens into CI logs.
#pragma once

#include <iosfwd>
#include <string>
#include <string_view>

#include "http/transport.hpp"

namespace xtsync::http {

class DebugTransport final : public Transport {
 public:
  DebugTransport(Transport& inner, std::ostream& log) : inner_(inner), log_(log) {}
  Response send(const Request& request) override;
  void reset_connection() override;

 private:
  void write(const std::string& lines);

  Transport& inner_;
  std::ostream& log_;
};

// A header value safe to print: credentials become "[REDACTED]" (keeping an auth scheme word).
std::string redact_header(std::string_view name, std::string_view value);
// A body safe to print: values of secret-looking JSON or form fields become "[REDACTED]".
std::string redact_body(std::string_view body);
// A URL safe to print: secret-looking query parameters and user:password are redacted.
std::string redact_url(std::string_view url);

}  // namespace xtsync::http
