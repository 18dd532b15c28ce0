#include "http/beast/wire.hpp"

#include <algorithm>
#include <string_view>

#include "error.hpp"
#include "util/strings.hpp"

namespace xtsync::http::detail {

namespace {

// RFC 9110 token characters: what methods and header names may contain.
bool is_token(std::string_view text) {
  static constexpr std::string_view k_extra = "!#$%&'*+-.^_`|~";
  return !text.empty() && std::all_of(text.begin(), text.end(), [](char c) {
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
           k_extra.find(c) != std::string_view::npos;
  });
}

bool is_safe_value(std::string_view text) {
  return text.find_first_of(std::string_view("\r\n\0", 3)) == std::string_view::npos;
}

// Framing the transport owns; a caller's copy could contradict what is actually sent.
bool is_transport_header(std::string_view name) {
  return util::iequals(name, "Host") || util::iequals(name, "Content-Length") ||
         util::iequals(name, "Transfer-Encoding");
}

bool expects_body(std::string_view method) {
  return method == "POST" || method == "PUT" || method == "PATCH";
}

}  // namespace

std::string authority(const Url& url) {
  return host_port(url.host, url.port);
}

WireRequest to_wire_request(const Request& request, const Url& url) {
  if (!is_token(request.method)) throw usage_error("invalid HTTP method '" + request.method + "'");

  WireRequest wire;
  wire.version(11);
  wire.method_string(request.method);
  wire.target(url.target);

  const std::uint16_t default_port = url.tls() ? 443 : 80;
  wire.set(boost::beast::http::field::host, url.port == default_port ? url_host(url.host) : authority(url));

  for (const auto& header : request.headers) {
    if (!is_token(header.name)) throw usage_error("invalid HTTP header name '" + header.name + "'");
    if (!is_safe_value(header.value)) {
      throw usage_error("the value of HTTP header '" + header.name + "' contains a line break");
    }
    if (!is_transport_header(header.name)) wire.insert(header.name, header.value);
  }

  if (!request.body.empty() || expects_body(request.method)) wire.content_length(request.body.size());
  wire.body() = request.body;
  return wire;
}

void ResponseParser::on_response_impl(int code, string_view reason, int, error_code&) {
  response_.status = code;
  response_.reason = std::string(reason);
}

void ResponseParser::on_field_impl(boost::beast::http::field, string_view name, string_view value,
                                   error_code&) {
  response_.headers.push_back({std::string(name), std::string(value)});
}

// RFC 9112 §6.1: a Transfer-Encoding is a list of codings whose last one is chunked. Anything
// else ("chunked, gzip", "xchunked", an empty or garbled list) is refused as malformed rather
// than guessed at: a parser that reads a body differently from the server is how responses get
// smuggled.
static bool valid_transfer_encoding(std::string_view value) {
  std::string_view last;
  std::size_t start = 0;
  while (true) {
    const auto comma = value.find(',', start);
    std::string_view coding = value.substr(start, comma == std::string_view::npos ? comma : comma - start);
    while (!coding.empty() && (coding.front() == ' ' || coding.front() == '\t')) coding.remove_prefix(1);
    while (!coding.empty() && (coding.back() == ' ' || coding.back() == '\t')) coding.remove_suffix(1);
    if (!is_token(coding)) return false;
    last = coding;
    if (comma == std::string_view::npos) break;
    start = comma + 1;
  }
  return util::iequals(last, "chunked");
}

void ResponseParser::on_header_impl(error_code& ec) {
  std::string codings;
  for (const auto& h : response_.headers) {
    if (!util::iequals(h.name, "Transfer-Encoding")) continue;
    if (!codings.empty()) codings += ',';
    codings += h.value;
  }
  const bool present = std::any_of(response_.headers.begin(), response_.headers.end(),
                                   [](const Header& h) { return util::iequals(h.name, "Transfer-Encoding"); });
  if (present && !valid_transfer_encoding(codings)) ec = boost::beast::http::error::bad_transfer_encoding;
}

void ResponseParser::on_body_init_impl(const boost::optional<std::uint64_t>& content_length, error_code&) {
  // basic_parser has already refused a Content-Length above body_limit, so this stays bounded.
  if (content_length) response_.body.reserve(static_cast<std::size_t>(*content_length));
}

std::size_t ResponseParser::on_body_impl(string_view body, error_code&) {
  response_.body.append(body);
  return body.size();
}

std::size_t ResponseParser::on_chunk_body_impl(std::uint64_t, string_view body, error_code&) {
  response_.body.append(body);
  return body.size();
}

}  // namespace xtsync::http::detail
