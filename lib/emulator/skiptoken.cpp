#include "emulator/skiptoken.hpp"

#include "util/guid.hpp"

namespace xtsync::emulator {

namespace {

constexpr std::string_view k_alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
constexpr std::string_view k_prefix = "xts1:";  // versioned, so a token from a changed format is rejected

std::string base64url_encode(std::string_view in) {
  std::string out;
  std::size_t i = 0;
  for (; i + 3 <= in.size(); i += 3) {
    const unsigned v = (static_cast<unsigned char>(in[i]) << 16) |
                       (static_cast<unsigned char>(in[i + 1]) << 8) | static_cast<unsigned char>(in[i + 2]);
    for (int shift = 18; shift >= 0; shift -= 6) out += k_alphabet[(v >> shift) & 0x3F];
  }
  const std::size_t rest = in.size() - i;
  if (rest > 0) {
    unsigned v = static_cast<unsigned char>(in[i]) << 16;
    if (rest == 2) v |= static_cast<unsigned char>(in[i + 1]) << 8;
    out += k_alphabet[(v >> 18) & 0x3F];
    out += k_alphabet[(v >> 12) & 0x3F];
    if (rest == 2) out += k_alphabet[(v >> 6) & 0x3F];
  }
  return out;
}

std::optional<std::string> base64url_decode(std::string_view in) {
  if (in.size() % 4 == 1) return std::nullopt;
  std::string out;
  unsigned buffer = 0;
  int bits = 0;
  for (char c : in) {
    const auto pos = k_alphabet.find(c);
    if (pos == std::string_view::npos) return std::nullopt;
    buffer = (buffer << 6) | static_cast<unsigned>(pos);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out += static_cast<char>((buffer >> bits) & 0xFF);
    }
  }
  return out;
}

}  // namespace

std::string encode_skiptoken(const PageKey& key) {
  return base64url_encode(std::string(k_prefix) + key.deleted_date_time + "|" + key.tenant_id);
}

std::optional<PageKey> decode_skiptoken(std::string_view token) {
  const auto text = base64url_decode(token);
  if (!text || !text->starts_with(k_prefix)) return std::nullopt;
  const std::string_view body = std::string_view(*text).substr(k_prefix.size());
  const auto bar = body.rfind('|');
  if (bar == std::string_view::npos) return std::nullopt;
  auto tenant = util::normalize_guid(body.substr(bar + 1));
  if (!tenant) return std::nullopt;
  return PageKey{std::string(body.substr(0, bar)), std::move(*tenant)};
}

}  // namespace xtsync::emulator
