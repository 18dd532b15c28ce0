#include "render/table.hpp"

#include <algorithm>

#include "util/terminal_text.hpp"

namespace xtsync::render {

std::size_t display_width(std::string_view text) {
  return static_cast<std::size_t>(
      std::count_if(text.begin(), text.end(), [](char c) { return (static_cast<unsigned char>(c) & 0xC0) != 0x80; }));
}

std::string table(const Row& header, std::vector<Row> rows) {
  // Cells come from servers: a control character must not reach the terminal, and a tab or
  // line break must not forge a column or a row. Escaped in place, and only where needed, so
  // a large cell is not copied again.
  for (auto& row : rows) {
    for (auto& cell : row) {
      if (util::needs_escape(cell, util::ControlEscape::cell)) {
        cell = util::escape_controls(cell, util::ControlEscape::cell);
      }
    }
  }
  std::vector<std::size_t> widths(header.size(), 0);
  auto measure = [&](const Row& row) {
    for (std::size_t i = 0; i < row.size() && i < widths.size(); ++i) {
      widths[i] = std::max(widths[i], display_width(row[i]));
    }
  };
  measure(header);
  for (const auto& row : rows) measure(row);

  // Reserved up front: growing by doubling would hold two copies of a huge cell at once.
  std::size_t total = 0;
  for (const auto& row : rows) {
    for (const auto& cell : row) total += cell.size() + widths.size() * 2 + 1;
  }
  std::string out;
  out.reserve(total + (header.size() + 1) * 32);
  auto emit = [&](const Row& row) {
    const std::size_t start = out.size();
    for (std::size_t i = 0; i < widths.size(); ++i) {
      const std::string_view cell = i < row.size() ? std::string_view(row[i]) : std::string_view();
      out += cell;
      if (i + 1 < widths.size()) out.append(widths[i] - display_width(cell) + 2, ' ');
    }
    const auto last = out.find_last_not_of(' ');
    out.resize(last == std::string::npos || last < start ? start : last + 1);
    out += '\n';
  };
  emit(header);
  for (auto& row : rows) {
    emit(row);
    row.clear();  // done with it: the output is the only copy kept
  }
  return out;
}

std::string tsv(const std::vector<Row>& rows) {
  std::string out;
  for (const auto& row : rows) {
    for (std::size_t i = 0; i < row.size(); ++i) {
      if (i > 0) out += '\t';
      if (util::needs_escape(row[i], util::ControlEscape::cell)) {
        out += util::escape_controls(row[i], util::ControlEscape::cell);
      } else {
        out += row[i];
      }
    }
    out += '\n';
  }
  return out;
}

}  // namespace xtsync::render
