// Aligned text tables and tab-separated rows, as pure functions returning strings.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace xtsync::render {

using Row = std::vector<std::string>;

// A header row and data rows in columns two spaces apart, padded by display width (UTF-8
// code points), trailing spaces trimmed, one '\n' after every line.
std::string table(const Row& header, std::vector<Row> rows);

// One line per row, cells separated by tabs; tabs and line breaks inside cells become spaces
// so every object stays on one line.
std::string tsv(const std::vector<Row>& rows);

// How many terminal columns a UTF-8 string takes (code points; continuation bytes skipped).
std::size_t display_width(std::string_view text);

}  // namespace xtsync::render
