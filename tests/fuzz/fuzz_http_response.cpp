// The Beast transport's response parsing (reliability.md §9 E, item 46, after boostorg/beast
// test/fuzz/http_response.cpp): the input is what the server sends, delivered over
// boost::beast::test::stream and read with xtsync's own detail::ResponseParser exactly as
// BeastTransport::exchange does (header limit 64 KiB, body limit 16 MiB, interim 1xx responses
// skipped, 101 final).
//
// Each input is read three ways: all at once; in small reads (the result must be identical);
// and as the answer to a HEAD request with a 64-byte body limit. A read error is the expected
// outcome for malformed input; sanitizer reports, uncaught exceptions and a difference between
// the first two reads are findings.
#include <boost/asio/io_context.hpp>
#include <boost/beast/_experimental/test/stream.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http/read.hpp>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <optional>
#include <string>
#include <string_view>

#include "graph/graph_error.hpp"
#include "http/beast/wire.hpp"
#include "http/retry.hpp"

namespace beast = boost::beast;
namespace wire = boost::beast::http;
using namespace xtsync;

namespace {

struct Outcome {
  bool ok = false;
  bool keep_alive = false;
  http::Response response;
};

struct Mode {
  std::size_t read_size = 0;  // 0: whatever is available
  bool head = false;
  std::size_t body_limit = 16 * 1024 * 1024;  // TransportOptions::max_body_size default
};

Outcome read_response(std::string_view bytes, const Mode& mode) {
  boost::asio::io_context ioc;
  beast::test::stream stream(ioc, beast::string_view(bytes.data(), bytes.size()));
  if (mode.read_size) stream.read_size(mode.read_size);
  stream.close_remote();  // the server closes after sending: end of stream is a read boundary

  beast::flat_buffer buffer;
  Outcome out;
  for (;;) {
    http::detail::ResponseParser parser;
    parser.header_limit(64 * 1024);
    parser.body_limit(mode.body_limit);
    if (mode.head) parser.skip(true);
    beast::error_code ec;
    wire::read(stream, buffer, parser, ec);
    if (ec) return out;
    const int status = parser.response().status;
    if (status >= 100 && status < 200 && status != 101) continue;
    out.ok = true;
    out.keep_alive = parser.keep_alive() && status != 101;
    out.response = std::move(parser.response());
    return out;
  }
}

bool same(const Outcome& a, const Outcome& b) {
  if (a.ok != b.ok) return false;
  if (!a.ok) return true;
  if (a.keep_alive != b.keep_alive || a.response.status != b.response.status ||
      a.response.reason != b.response.reason || a.response.body != b.response.body ||
      a.response.headers.size() != b.response.headers.size()) {
    return false;
  }
  for (std::size_t i = 0; i < a.response.headers.size(); ++i) {
    if (a.response.headers[i].name != b.response.headers[i].name ||
        a.response.headers[i].value != b.response.headers[i].value) {
      return false;
    }
  }
  return true;
}

// What the client does next with a response it got.
void use(const http::Response& response) {
  (void)http::is_retryable(response);
  (void)http::is_claims_challenge(response);
  (void)graph::kind_for_status(response.status);
  if (auto value = response.header("Retry-After")) (void)http::parse_retry_after(*value);
  const auto error = graph::error_from_response(response, "fuzz the response parser");
  (void)error.what();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view bytes(reinterpret_cast<const char*>(data), size);

  const Outcome whole = read_response(bytes, {});
  if (whole.ok) use(whole.response);

  const Outcome pieces = read_response(bytes, {1 + size % 7, false, 16 * 1024 * 1024});
  if (!same(whole, pieces)) {
    std::fprintf(stderr,
                 "fuzz_http_response: reading in %zu-byte pieces gave a different response (%s vs %s)\n",
                 1 + size % 7, whole.ok ? "ok" : "error", pieces.ok ? "ok" : "error");
    std::abort();
  }

  const Outcome head = read_response(bytes, {0, true, 64});
  if (head.ok) use(head.response);
  return 0;
}
