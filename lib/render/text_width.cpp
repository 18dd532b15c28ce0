#include "render/text_width.hpp"

#include <algorithm>
#include <array>
#include <utility>

namespace xtsync::render {

namespace {

using Range = std::pair<char32_t, char32_t>;

// East Asian Wide and Fullwidth blocks, and emoji presented wide.
constexpr std::array<Range, 46> k_wide = {{
    {0x1100, 0x115F},   {0x231A, 0x231B},   {0x2329, 0x232A},   {0x23E9, 0x23EC},   {0x23F0, 0x23F0},
    {0x23F3, 0x23F3},   {0x25FD, 0x25FE},   {0x2614, 0x2615},   {0x2648, 0x2653},   {0x267F, 0x267F},
    {0x2693, 0x2693},   {0x26A1, 0x26A1},   {0x26AA, 0x26AB},   {0x26BD, 0x26BE},   {0x26C4, 0x26C5},
    {0x26CE, 0x26CE},   {0x26D4, 0x26D4},   {0x26EA, 0x26EA},   {0x26F2, 0x26F5},   {0x26FA, 0x26FD},
    {0x2705, 0x2705},   {0x270A, 0x270B},   {0x2728, 0x2728},   {0x274C, 0x274E},   {0x2753, 0x2757},
    {0x2795, 0x2797},   {0x27B0, 0x27BF},   {0x2B1B, 0x2B1C},   {0x2B50, 0x2B55},   {0x2E80, 0x303E},
    {0x3041, 0x33FF},   {0x3400, 0x4DBF},   {0x4E00, 0x9FFF},   {0xA000, 0xA4CF},   {0xA960, 0xA97F},
    {0xAC00, 0xD7A3},   {0xF900, 0xFAFF},   {0xFE10, 0xFE19},   {0xFE30, 0xFE6F},   {0xFF00, 0xFF60},
    {0xFFE0, 0xFFE6},   {0x1F000, 0x1F02F}, {0x1F0CF, 0x1F0CF}, {0x1F18E, 0x1F19A}, {0x1F200, 0x1FAFF},
    {0x20000, 0x3FFFD},
}};

// Combining marks, zero-width spaces and joiners, variation selectors.
constexpr std::array<Range, 11> k_zero = {{
    {0x0300, 0x036F}, {0x0483, 0x0489}, {0x0591, 0x05BD}, {0x1AB0, 0x1AFF}, {0x1DC0, 0x1DFF}, {0x200B, 0x200F},
    {0x2060, 0x2064}, {0x20D0, 0x20FF}, {0xFE00, 0xFE0F}, {0xFE20, 0xFE2F}, {0xE0100, 0xE01EF},
}};

template <std::size_t N>
bool in(const std::array<Range, N>& ranges, char32_t cp) {
  const auto it = std::upper_bound(ranges.begin(), ranges.end(), cp,
                                   [](char32_t c, const Range& r) { return c < r.first; });
  return it != ranges.begin() && cp <= std::prev(it)->second;
}

// The code point at text[i] and its length; a byte that is not UTF-8 is one unit of its own.
std::pair<char32_t, std::size_t> decode(std::string_view text, std::size_t i) {
  const auto c = static_cast<unsigned char>(text[i]);
  std::size_t n = c < 0x80 ? 1 : c >= 0xF0 && c <= 0xF4 ? 4 : c >= 0xE0 ? 3 : c >= 0xC2 && c <= 0xDF ? 2 : 0;
  if (n == 0 || i + n > text.size()) return {0xFFFD, 1};
  char32_t cp = n == 1 ? c : n == 2 ? (c & 0x1F) : n == 3 ? (c & 0x0F) : (c & 0x07);
  for (std::size_t k = 1; k < n; ++k) {
    const auto d = static_cast<unsigned char>(text[i + k]);
    if ((d & 0xC0) != 0x80) return {0xFFFD, 1};
    cp = (cp << 6) | (d & 0x3F);
  }
  return {cp, n};
}

// The length of an escape the text starts with at i ("\x1b", "\u009b", "\n"), or 0.
std::size_t escape_length(std::string_view text, std::size_t i) {
  if (text[i] != '\\' || i + 1 >= text.size()) return 0;
  const char k = text[i + 1];
  if (k == 'x' && i + 4 <= text.size()) return 4;
  if (k == 'u' && i + 6 <= text.size()) return 6;
  if (k == 'n' || k == 'r' || k == 't') return 2;
  return 0;
}

}  // namespace

int code_point_width(char32_t cp) noexcept {
  if (cp == 0) return 0;
  if (in(k_zero, cp)) return 0;
  if (in(k_wide, cp)) return 2;
  return 1;
}

std::size_t display_width(std::string_view text) {
  std::size_t width = 0;
  for (std::size_t i = 0; i < text.size();) {
    const auto [cp, n] = decode(text, i);
    width += static_cast<std::size_t>(code_point_width(cp));
    i += n;
  }
  return width;
}

std::string truncate_to_width(std::string_view text, std::size_t width) {
  if (display_width(text) <= width) return std::string(text);
  if (width == 0) return {};
  const std::size_t budget = width - 1;  // the ellipsis takes one column
  std::string out;
  std::size_t used = 0;
  for (std::size_t i = 0; i < text.size();) {
    std::size_t n = escape_length(text, i);
    std::size_t w = n;  // an escape is ASCII: one column a character
    if (n == 0) {
      const auto [cp, len] = decode(text, i);
      n = len;
      w = static_cast<std::size_t>(code_point_width(cp));
    }
    if (used + w > budget) break;
    out.append(text.substr(i, n));
    used += w;
    i += n;
  }
  out += "\u2026";
  return out;
}

}  // namespace xtsync::render
