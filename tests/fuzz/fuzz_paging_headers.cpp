// The Graph client's handling of list pages and response headers: Client::list_deleted() over a
// FakeTransport scripted from the input, plus the header/URL helpers it relies on.
//
// Input layout (see corpus/fuzz_paging_headers/):
//   byte 0   statuses of up to four responses, two bits each, lowest first:
//            0 → 200, 1 → 429, 2 → 503, 3 → 401 (with byte 1 bit 2) or 409
//   byte 1   bit 0: the token source can refresh (claims challenges are retried once)
//            bit 1: max_retries 0 instead of 4
//            bit 2: code 3 means 401 rather than 409
//   rest     segments separated by "\n--\n": a header value (sent as Retry-After on 429/503/409
//            and as WWW-Authenticate on 401), then up to four response bodies.
// After the scripted responses comes a 404, so a well-behaved client always ends in an
// xtsync::Error or a result; anything else escaping (including FakeTransport's std::logic_error
// for a request beyond the script) is a finding.
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "auth/token_source.hpp"
#include "error.hpp"
#include "graph/client.hpp"
#include "graph/graph_error.hpp"
#include "http/debug_transport.hpp"
#include "http/retry.hpp"
#include "http/url.hpp"
#include "support/fake_transport.hpp"

using namespace xtsync;

namespace {

class StubToken final : public auth::TokenSource {
 public:
  explicit StubToken(bool refreshable) : refreshable_(refreshable) {}
  std::string access_token() override { return "fuzz-token"; }
  std::string describe() const override { return "fuzz"; }
  void invalidate() override {}
  bool can_refresh() const override { return refreshable_; }

 private:
  bool refreshable_;
};

std::vector<std::string_view> split(std::string_view rest, std::size_t max_parts) {
  static constexpr std::string_view sep = "\n--\n";
  std::vector<std::string_view> parts;
  while (parts.size() + 1 < max_parts) {
    const auto at = rest.find(sep);
    if (at == std::string_view::npos) break;
    parts.push_back(rest.substr(0, at));
    rest.remove_prefix(at + sep.size());
  }
  parts.push_back(rest);
  return parts;
}

void helpers(std::string_view value) {
  const auto now = std::chrono::system_clock::time_point(std::chrono::seconds(1'750'000'000));
  (void)http::parse_retry_after(value, now);
  try {
    const http::Url url = http::parse_url(value);
    (void)url.origin();
    (void)http::is_loopback_host(url.host);
  } catch (const Error&) {
  }
  (void)http::redact_url(value);
  (void)http::redact_body(value);
  (void)http::redact_header("Authorization", value);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size < 2) return 0;
  const std::uint8_t statuses = data[0];
  const std::uint8_t options = data[1];
  const std::string_view rest(reinterpret_cast<const char*>(data) + 2, size - 2);
  const auto parts = split(rest, 5);
  const std::string_view header = parts[0];

  helpers(header);
  for (std::size_t i = 1; i < parts.size(); ++i) (void)http::redact_body(parts[i]);

  testing::FakeTransport transport;
  for (std::size_t i = 1; i < parts.size(); ++i) {
    int status = 200;
    switch ((statuses >> (2 * (i - 1))) & 3) {
      case 0:
        status = 200;
        break;
      case 1:
        status = 429;
        break;
      case 2:
        status = 503;
        break;
      default:
        status = (options & 4) ? 401 : 409;
        break;
    }
    http::Headers headers{{"Content-Type", "application/json"}, {"request-id", "fuzz-request"}};
    if (status == 401) {
      headers.push_back({"WWW-Authenticate", std::string(header)});
    } else if (status != 200) {
      headers.push_back({"Retry-After", std::string(header)});
    }
    transport.respond(status, std::string(parts[i]), std::move(headers));
  }
  transport.respond(404, R"({"error":{"code":"Request_ResourceNotFound","message":"end of script"}})");

  StubToken token(options & 1);
  graph::ClientOptions client_options;
  client_options.graph_root = "https://graph.microsoft.com";
  client_options.api_version = graph::ApiVersion::beta;
  client_options.max_retries = (options & 2) ? 0 : 4;
  client_options.sleep = [](std::chrono::milliseconds) {};
  graph::Client client(transport, token, client_options);
  try {
    const auto items = client.list_deleted();
    (void)items;
  } catch (const Error& e) {
    (void)e.what();
  }
  return 0;
}
