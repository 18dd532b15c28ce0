// Aligned text tables and tab-separated rows, as pure functions returning strings.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "render/text_width.hpp"

namespace xtsync::render {

using Row = std::vector<std::string>;

// A header row and data rows in columns two spaces apart, padded by display width (UTF-8
// code points), trailing spaces trimmed, one '\n' after every line.
// How a table is laid out for a terminal; the default is what pipes get: full values, no color.
struct TableStyle {
  std::size_t max_width = 0;  // 0: no limit; else the shrinkable column gives way, with an ellipsis
  std::size_t shrink_column = static_cast<std::size_t>(-1);  // which one (a display name, never an ID)
  // Shorter headers for when the table does not fit with the full ones and the shrinkable column
  // at its header's width (e.g. USER for USER SYNC); empty: none.
  std::vector<std::string> short_header;
  // Rows whose shrinkable cell must stay whole (an ID in a key/value table); none when null.
  bool (*keep_whole)(const std::vector<std::string>& row) = nullptr;
  bool color = false;         // bold header; "allowed" green, "blocked" red
};

std::string table(const Row& header, std::vector<Row> rows, const TableStyle& style = {});

// One line per row, cells separated by tabs; tabs and line breaks inside cells become spaces
// so every object stays on one line.
std::string tsv(const std::vector<Row>& rows);



}  // namespace xtsync::render
