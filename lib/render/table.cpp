#include "render/table.hpp"

#include <algorithm>

#include "render/text_width.hpp"
#include "util/terminal_text.hpp"

namespace xtsync::render {

namespace {

std::vector<std::size_t> column_widths(const Row& header, const std::vector<Row>& rows) {
  std::vector<std::size_t> widths(header.size(), 0);
  auto measure = [&](const Row& row) {
    for (std::size_t i = 0; i < row.size() && i < widths.size(); ++i) {
      widths[i] = std::max(widths[i], display_width(row[i]));
    }
  };
  measure(header);
  for (const auto& row : rows) measure(row);
  return widths;
}

// Columns two apart.
std::size_t total_width(const std::vector<std::size_t>& widths) {
  std::size_t total = 0;
  for (const auto w : widths) total += w;
  return total + 2 * (widths.empty() ? 0 : widths.size() - 1);
}

Row truncated_header(const Row& header, const std::vector<std::size_t>& widths) {
  Row cut = header;
  for (std::size_t i = 0; i < cut.size() && i < widths.size(); ++i) cut[i] = truncate_to_width(cut[i], widths[i]);
  return cut;
}

}  // namespace

std::string table(const Row& header, std::vector<Row> rows, const TableStyle& style) {
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
  const Row* shown = &header;
  std::vector<std::size_t> widths = column_widths(*shown, rows);
  if (style.max_width > 0 && style.shrink_column < widths.size() && total_width(widths) > style.max_width) {
    const std::size_t s = style.shrink_column;
    // The cells of the column that may not be cut set its least width.
    std::size_t keep = 0;
    if (style.keep_whole) {
      for (const auto& row : rows) {
        if (s < row.size() && style.keep_whole(row)) keep = std::max(keep, display_width(row[s]));
      }
    }
    const auto narrowed = [&](std::size_t floor) {
      const std::size_t over = total_width(widths) - std::min(total_width(widths), style.max_width);
      return std::max({floor, keep, widths[s] - std::min(widths[s], over)});
    };
    // First the column gives way down to its header's width; if that is not enough, the short
    // headers make room and it goes down to one character and the ellipsis.
    widths[s] = std::min(widths[s], narrowed(display_width(header[s])));
    if (total_width(widths) > style.max_width) {
      if (style.short_header.size() == header.size()) {
        shown = &style.short_header;
        widths = column_widths(*shown, rows);
      }
      widths[s] = std::min(widths[s], narrowed(2));
    }
    for (auto& row : rows) {
      if (s < row.size() && !(style.keep_whole && style.keep_whole(row))) row[s] = truncate_to_width(row[s], widths[s]);
    }
  }

  const auto paint = [&](std::string_view cell, bool is_header) -> std::string {
    if (!style.color) return std::string(cell);
    if (is_header) return "\033[1m" + std::string(cell) + "\033[0m";
    if (cell == "allowed") return "\033[32mallowed\033[0m";
    if (cell == "blocked") return "\033[31mblocked\033[0m";
    return std::string(cell);
  };

  // Reserved up front: growing by doubling would hold two copies of a huge cell at once.
  std::size_t total = 0;
  for (const auto& row : rows) {
    for (const auto& cell : row) total += cell.size() + widths.size() * 2 + 1;
  }
  std::string out;
  out.reserve(total + (header.size() + 1) * 32);
  auto emit = [&](const Row& row, bool is_header) {
    const std::size_t start = out.size();
    for (std::size_t i = 0; i < widths.size(); ++i) {
      const std::string_view cell = i < row.size() ? std::string_view(row[i]) : std::string_view();
      out += paint(cell, is_header);
      if (i + 1 < widths.size()) out.append(widths[i] - std::min(widths[i], display_width(cell)) + 2, ' ');
    }
    const auto last = out.find_last_not_of(' ');
    out.resize(last == std::string::npos || last < start ? start : last + 1);
    out += '\n';
  };
  emit(truncated_header(*shown, widths), true);
  for (auto& row : rows) {
    emit(row, false);
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
