// How wide text is on a terminal, and cutting it to fit: by code point, with East Asian wide
// characters and emoji counting two columns and combining marks none (the wcwidth rules, from
// a small table of ranges).
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace xtsync::render {

// Columns one code point takes: 0, 1 or 2.
int code_point_width(char32_t cp) noexcept;

// Columns a UTF-8 string takes; a byte that is not UTF-8 counts one.
std::size_t display_width(std::string_view text);

// The text cut to at most `width` columns, ending in "…" when something was cut. Cuts only
// between code points, and never inside an escape such as \x1b (escaped text is ASCII, so the
// caller escapes first and the cut treats "\x.." and "\u...." as single units).
std::string truncate_to_width(std::string_view text, std::size_t width);

}  // namespace xtsync::render
