#include "render/table.hpp"

#include <algorithm>

#include "util/terminal_text.hpp"

namespace xtsync::render {

std::size_t display_width(std::string_view text) {
  return static_cast<std::size_t>(
      std::count_if(text.begin(), text.end(), [](char c) { return (static_cast<unsigned char>(c) & 0xC0) != 0x80; }));
}

std::string table(const Row& header, const std::vector<Row>& raw_rows) {
  // Cells come from servers: a control character must not reach the terminal, and a tab or
  // line break must not forge a column or a row.
  std::vector<Row> rows = raw_rows;
  for (auto& row : rows) {
    for (auto& cell : row) cell = util::escape_controls(cell, util::ControlEscape::cell);
  }
  std::vector<std::size_t> widths(header.size(), 0);
  auto measure = [&](const Row& row) {
    for (std::size_t i = 0; i < row.size() && i < widths.size(); ++i) {
      widths[i] = std::max(widths[i], display_width(row[i]));
    }
  };
  measure(header);
  for (const auto& row : rows) measure(row);

  std::string out;
  auto emit = [&](const Row& row) {
    std::string line;
    for (std::size_t i = 0; i < widths.size(); ++i) {
      const std::string& cell = i < row.size() ? row[i] : std::string();
      line += cell;
      if (i + 1 < widths.size()) line.append(widths[i] - display_width(cell) + 2, ' ');
    }
    line.erase(line.find_last_not_of(' ') + 1);
    out += line;
    out += '\n';
  };
  emit(header);
  for (const auto& row : rows) emit(row);
  return out;
}

std::string tsv(const std::vector<Row>& rows) {
  std::string out;
  for (const auto& row : rows) {
    for (std::size_t i = 0; i < row.size(); ++i) {
      if (i > 0) out += '\t';
      out += util::escape_controls(row[i], util::ControlEscape::cell);
    }
    out += '\n';
  }
  return out;
}

}  // namespace xtsync::render
