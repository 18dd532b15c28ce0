#include "emulator/identity_jwt.hpp"

#include "util/base64.hpp"

#include <openssl/rand.h>

#include <array>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <stdexcept>

namespace xtsync::emulator {

namespace json = boost::json;

namespace {

std::optional<json::object> decode_object(std::string_view part) {
  const auto bytes = util::base64_decode(part, util::Base64Alphabet::either);
  if (!bytes) return std::nullopt;
  json::error_code ec;
  json::value value = json::parse(*bytes, ec);
  if (ec || !value.is_object()) return std::nullopt;
  return std::move(value.as_object());
}

}  // namespace

std::optional<Jwt> parse_jwt(std::string_view text) {
  const auto first = text.find('.');
  if (first == std::string_view::npos) return std::nullopt;
  const auto second = text.find('.', first + 1);
  if (second == std::string_view::npos || text.find('.', second + 1) != std::string_view::npos) {
    return std::nullopt;
  }
  auto header = decode_object(text.substr(0, first));
  auto payload = decode_object(text.substr(first + 1, second - first - 1));
  auto signature = util::base64_decode(text.substr(second + 1), util::Base64Alphabet::either);
  if (!header || !payload || !signature) return std::nullopt;
  return Jwt{std::move(*header), std::move(*payload), std::string(text.substr(0, second)), std::move(*signature)};
}

std::string random_bytes(std::size_t count) {
  std::string out(count, '\0');
  if (RAND_bytes(reinterpret_cast<unsigned char*>(out.data()), static_cast<int>(count)) != 1) {
    throw std::runtime_error("RAND_bytes failed");
  }
  return out;
}

std::string mint_jwt(const json::object& header, const json::object& payload) {
  std::string out = util::base64url_encode(json::serialize(header));
  out += '.';
  out += util::base64url_encode(json::serialize(payload));
  out += '.';
  // Nobody verifies these signatures: the emulator recognizes its tokens by remembering them.
  out += util::base64url_encode(random_bytes(256));
  return out;
}

std::optional<std::string> string_claim(const json::object& claims, std::string_view name) {
  const auto* value = claims.if_contains(name);
  if (!value || !value->is_string()) return std::nullopt;
  return std::string(value->as_string());
}

std::optional<long long> numeric_claim(const json::object& claims, std::string_view name) {
  const auto* value = claims.if_contains(name);
  if (!value) return std::nullopt;
  if (value->is_int64()) return value->as_int64();
  if (value->is_uint64()) return static_cast<long long>(value->as_uint64());
  if (value->is_double()) return static_cast<long long>(value->as_double());
  return std::nullopt;
}

}  // namespace xtsync::emulator
