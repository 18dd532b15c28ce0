#include "util/guid.hpp"

#include <array>
#include <cctype>
#include <random>

#include "util/strings.hpp"

namespace xtsync::util {

std::string new_guid() {
  // A per-thread generator seeded once from the OS; request IDs need uniqueness, not secrecy.
  thread_local std::mt19937_64 gen{[] {
    std::random_device rd;
    std::seed_seq seq{rd(), rd(), rd(), rd()};
    return std::mt19937_64(seq);
  }()};
  std::array<unsigned char, 16> b{};
  for (std::size_t i = 0; i < b.size(); i += 8) {
    const auto r = gen();
    for (std::size_t j = 0; j < 8; ++j) b[i + j] = static_cast<unsigned char>(r >> (j * 8));
  }
  b[6] = static_cast<unsigned char>((b[6] & 0x0F) | 0x40);  // version 4
  b[8] = static_cast<unsigned char>((b[8] & 0x3F) | 0x80);  // RFC 4122 variant
  static constexpr char hex[] = "0123456789abcdef";
  std::string out;
  out.reserve(36);
  for (std::size_t i = 0; i < b.size(); ++i) {
    if (i == 4 || i == 6 || i == 8 || i == 10) out += '-';
    out += hex[b[i] >> 4];
    out += hex[b[i] & 0x0F];
  }
  return out;
}

std::optional<std::string> normalize_guid(std::string_view text) {
  if (text.size() == 38 && text.front() == '{' && text.back() == '}') text = text.substr(1, 36);
  if (text.size() != 36) return std::nullopt;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const bool dash_slot = i == 8 || i == 13 || i == 18 || i == 23;
    const char c = text[i];
    if (dash_slot ? c != '-' : !std::isxdigit(static_cast<unsigned char>(c))) return std::nullopt;
  }
  return to_lower(text);
}

}  // namespace xtsync::util
