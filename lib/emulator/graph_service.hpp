// The emulated Microsoft Graph endpoints for cross-tenant identity sync policies: a pure
// function of (state, request) → response, with no sockets, so it can be unit-tested directly.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "emulator/issued_tokens.hpp"
#include "emulator/state.hpp"
#include "emulator/time_format.hpp"
#include "http/message.hpp"

namespace xtsync::emulator {

struct GraphOptions {
  // Bearer tokens accepted for everything; when empty, "emulator-token".
  std::vector<std::string> tokens;
  // Bearer tokens accepted for GETs only; writes with them get 403.
  std::vector<std::string> read_only_tokens;
  // Tokens the emulated identity platform issued, accepted until they expire; null for none.
  const IssuedTokens* issued_tokens = nullptr;
  // Page size of the deleted-items list.
  std::size_t page_size = 100;
  // "Now" for deletedDateTime, innerError.date and the Date header.
  ClockFn clock = [] { return Clock::now(); };
};

inline constexpr std::string_view k_default_token = "emulator-token";

class Graph {
 public:
  // `base_url` (scheme://host:port, no trailing '/') prefixes @odata.context and @odata.nextLink.
  Graph(State& state, GraphOptions options, std::string base_url);

  void set_base_url(std::string base_url) { base_url_ = std::move(base_url); }
  const std::string& base_url() const noexcept { return base_url_; }

  // `request.url` is the request target: path and query, e.g. /beta/policies/...?$select=x.
  http::Response handle(const http::Request& request);

 private:
  struct Call;

  http::Response dispatch(Call& call);
  http::Response list_partners(Call& call);
  http::Response create_partner(Call& call);
  http::Response get_partner(Call& call);
  http::Response update_partner(Call& call);
  http::Response delete_partner(Call& call);
  http::Response get_policy(Call& call);
  http::Response create_policy(Call& call);
  http::Response update_policy(Call& call);
  http::Response delete_policy(Call& call);
  http::Response list_deleted(Call& call);
  http::Response get_deleted(Call& call);
  http::Response purge_deleted(Call& call);
  http::Response restore_deleted(Call& call);

  std::string metadata_url(const Call& call) const;

  State& state_;
  GraphOptions options_;
  std::string base_url_;
};

}  // namespace xtsync::emulator
