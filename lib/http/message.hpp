// Plain HTTP request/response values that cross the Transport seam.
// Nothing here knows about Beast, so most of the code base compiles without it.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace xtsync::http {

struct Header {
  std::string name;
  std::string value;
};
using Headers = std::vector<Header>;

// Case-insensitive header lookup; the first match wins.
std::optional<std::string> find_header(const Headers& headers, std::string_view name);
// Replaces every header of that name (case-insensitively) with one new value.
void set_header(Headers& headers, std::string_view name, std::string value);

struct Request {
  std::string method;  // "GET", "PUT", ...
  std::string url;     // absolute: scheme://host[:port]/path?query
  Headers headers;
  std::string body;
};

struct Response {
  int status = 0;
  std::string reason;
  Headers headers;
  std::string body;

  std::optional<std::string> header(std::string_view name) const { return find_header(headers, name); }
};

}  // namespace xtsync::http
