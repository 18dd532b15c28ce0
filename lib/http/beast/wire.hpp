// Conversions between xtsync's Request/Response and Beast's message types.
// Private to the xtsync_transport_beast target: only lib/http/beast and its own tests include it.
#pragma once

#include <boost/beast/http/basic_parser.hpp>
#include <boost/beast/http/message.hpp>
#include <boost/beast/http/string_body.hpp>

#include "http/message.hpp"
#include "http/url.hpp"

namespace xtsync::http::detail {

using WireRequest = boost::beast::http::request<boost::beast::http::string_body>;

// Builds the HTTP/1.1 request: Host, the caller's headers, then Content-Length when there is a
// body (or the method expects one). Throws Error(usage) on a method or header that would break
// the framing (CR/LF, non-token names) without quoting any value, since values carry tokens.
WireRequest to_wire_request(const Request& request, const Url& url);

// Parses one response straight into a Response. Beast's own parser stores fields in a
// basic_fields, which regroups repeated names; this one keeps every header in the order received.
// Limits, framing and keep-alive rules are basic_parser's.
class ResponseParser final : public boost::beast::http::basic_parser<false> {
 public:
  Response& response() { return response_; }

 private:
  using string_view = boost::beast::string_view;
  using error_code = boost::beast::error_code;

  void on_request_impl(boost::beast::http::verb, string_view, string_view, int, error_code&) override {}
  void on_response_impl(int code, string_view reason, int, error_code&) override;
  void on_field_impl(boost::beast::http::field, string_view name, string_view value, error_code&) override;
  void on_header_impl(error_code& ec) override;
  void on_body_init_impl(const boost::optional<std::uint64_t>& content_length, error_code&) override;
  std::size_t on_body_impl(string_view body, error_code&) override;
  void on_chunk_header_impl(std::uint64_t, string_view, error_code&) override {}
  std::size_t on_chunk_body_impl(std::uint64_t, string_view body, error_code&) override;
  void on_finish_impl(error_code&) override {}

  Response response_;
};

// "host:port", with brackets for IPv6: how hosts are named in error messages.
std::string authority(const Url& url);

}  // namespace xtsync::http::detail
