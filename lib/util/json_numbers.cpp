#include "util/json_numbers.hpp"

#include <boost/json/basic_parser_impl.hpp>
#include <cmath>

namespace xtsync::util {

namespace {

namespace json = boost::json;

// Significant decimal digits of a number's text ("0.00120e5" has 2).
std::size_t significant_digits(std::string_view number) {
  std::size_t first = std::string_view::npos, last = 0, count = 0;
  for (std::size_t i = 0; i < number.size(); ++i) {
    const char c = number[i];
    if (c == 'e' || c == 'E') break;
    if (c < '0' || c > '9') continue;
    if (c != '0' && first == std::string_view::npos) first = count;
    if (c != '0') last = count;
    ++count;
  }
  return first == std::string_view::npos ? 0 : last - first + 1;
}

struct Checker {
  static constexpr std::size_t max_object_size = std::size_t(-1);
  static constexpr std::size_t max_array_size = std::size_t(-1);
  static constexpr std::size_t max_key_size = std::size_t(-1);
  static constexpr std::size_t max_string_size = std::size_t(-1);

  std::string partial;
  std::optional<std::string> found;

  bool on_number_part(json::string_view s, json::error_code&) {
    partial.append(s.data(), s.size());
    return true;
  }
  bool on_int64(std::int64_t i, json::string_view s, json::error_code&) {
    const std::string text = partial + std::string(s);
    partial.clear();
    if (i == 0 && text.starts_with('-') && !found) found = text;  // -0 would come back as 0
    return true;
  }
  bool on_uint64(std::uint64_t, json::string_view, json::error_code&) {
    partial.clear();
    return true;
  }
  bool on_double(double d, json::string_view s, json::error_code&) {
    const std::string text = partial + std::string(s);
    if (!std::isfinite(d) || significant_digits(text) > 15 || (d == 0 && std::signbit(d))) {
      if (!found) found = text;
    }
    partial.clear();
    return true;
  }
  bool on_document_begin(json::error_code&) { return true; }
  bool on_document_end(json::error_code&) { return true; }
  bool on_array_begin(json::error_code&) { return true; }
  bool on_array_end(std::size_t, json::error_code&) { return true; }
  bool on_object_begin(json::error_code&) { return true; }
  bool on_object_end(std::size_t, json::error_code&) { return true; }
  bool on_string_part(json::string_view, std::size_t, json::error_code&) { return true; }
  bool on_string(json::string_view, std::size_t, json::error_code&) { return true; }
  bool on_key_part(json::string_view, std::size_t, json::error_code&) { return true; }
  bool on_key(json::string_view, std::size_t, json::error_code&) { return true; }
  bool on_bool(bool, json::error_code&) { return true; }
  bool on_null(json::error_code&) { return true; }
  bool on_comment_part(json::string_view, json::error_code&) { return true; }
  bool on_comment(json::string_view, json::error_code&) { return true; }
};

}  // namespace

std::optional<std::string> inexact_number(std::string_view json_text) {
  json::basic_parser<Checker> parser{json::parse_options{}};
  json::error_code ec;
  parser.write_some(false, json_text.data(), json_text.size(), ec);
  return parser.handler().found;
}

}  // namespace xtsync::util
