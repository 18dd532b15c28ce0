#include "api/apply_file_load.hpp"

#include <boost/json/parse.hpp>
#include <cstdio>
#include <vector>

#include "error.hpp"
#include "util/strings.hpp"
#include "util/terminal_text.hpp"

namespace xtsync::api::apply_file_detail {

namespace {

constexpr std::size_t k_shown_max = 64;  // bytes of a value quoted in a message

int line_at(std::string_view text, std::size_t pos) {
  int line = 1;
  for (std::size_t i = 0; i < pos && i < text.size(); ++i) line += text[i] == '\n';
  return line;
}

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// The code unit of "\uXXXX" at `pos`, or -1.
int utf16_escape_at(std::string_view text, std::size_t pos) {
  if (pos + 6 > text.size() || text[pos] != '\\' || text[pos + 1] != 'u') return -1;
  int unit = 0;
  for (std::size_t i = pos + 2; i < pos + 6; ++i) {
    const int digit = hex_value(text[i]);
    if (digit < 0) return -1;
    unit = unit * 16 + digit;
  }
  return unit;
}

bool has_high_surrogate_escape(std::string_view text) {
  for (auto pos = text.find("\\u"); pos != std::string_view::npos; pos = text.find("\\u", pos + 1)) {
    const int unit = utf16_escape_at(text, pos);
    if (unit >= 0xD800 && unit <= 0xDBFF) return true;
  }
  return false;
}

// yaml-cpp 0.7.0 refuses JSON's surrogate-pair escapes ("\ud83d\ude00", how Python's json.dumps
// writes an emoji) as "invalid unicode". In a text that is JSON (Boost.JSON accepts it) every
// backslash is inside a string, so each pair can be rewritten exactly to YAML's "\U0001f600";
// lines stay where they were.
std::string combine_surrogate_escapes(std::string_view text) {
  if (!has_high_surrogate_escape(text)) return std::string(text);
  boost::system::error_code ec;
  (void)boost::json::parse(text, ec);
  if (ec) return std::string(text);  // YAML (or broken JSON): yaml-cpp will judge it

  std::string out;
  out.reserve(text.size());
  bool in_string = false;
  for (std::size_t i = 0; i < text.size();) {
    const char c = text[i];
    if (!in_string) {
      in_string = c == '"';
      out += c;
      ++i;
    } else if (c == '"') {
      in_string = false;
      out += c;
      ++i;
    } else if (c == '\\') {
      const int high = utf16_escape_at(text, i);
      const int low = utf16_escape_at(text, i + 6);
      if (high >= 0xD800 && high <= 0xDBFF && low >= 0xDC00 && low <= 0xDFFF) {
        const unsigned code = 0x10000u + ((unsigned(high) - 0xD800u) << 10) + (unsigned(low) - 0xDC00u);
        char buf[11];
        std::snprintf(buf, sizeof buf, "\\U%08x", code);
        out += buf;
        i += 12;
      } else {
        out.append(text.substr(i, 2));  // the escape's letter, so an escaped quote stays inside
        i += 2;
      }
    } else {
      out += c;
      ++i;
    }
  }
  return out;
}

// NUL bytes or a UTF-16 byte-order mark: yaml-cpp would guess an encoding (and reads a UTF-16LE
// file as no document at all); the format is UTF-8 text.
void require_utf8_text(std::string_view text, const std::string& file_label) {
  if (text.starts_with("\xFF\xFE") || text.starts_with("\xFE\xFF")) {
    fail(file_label, 1, "", "the file is UTF-16; save it as UTF-8");
  }
  if (const auto nul = text.find('\0'); nul != std::string_view::npos) {
    fail(file_label, line_at(text, nul), "", "the file holds a NUL byte; it must be UTF-8 text");
  }
}

std::string syntax_error(const YAML::Mark& mark, const std::string& why) {
  std::string out = "not valid YAML or JSON: " + why;
  if (!mark.is_null()) out += " (column " + std::to_string(mark.column + 1) + ")";
  return out;
}

}  // namespace

void fail(const std::string& file_label, int line, std::string_view key, const std::string& why) {
  std::string message = file_label + ":";
  if (line > 0) message += std::to_string(line) + ":";
  message += " ";
  if (!key.empty()) message += "key '" + util::escape_controls(key) + "': ";
  throw usage_error(message + why);
}

YAML::Node load_document(std::string_view text, const std::string& file_label) {
  text = util::strip_bom(text);
  require_utf8_text(text, file_label);
  std::vector<YAML::Node> documents;
  try {
    documents = YAML::LoadAll(combine_surrogate_escapes(text));
  } catch (const YAML::DeepRecursion& e) {
    // yaml-cpp's own depth guard; its message says only "bad file".
    fail(file_label, e.mark.line + 1, "", "nested too deeply (" + std::to_string(e.depth()) + " levels)");
  } catch (const YAML::Exception& e) {
    fail(file_label, e.mark.is_null() ? 0 : e.mark.line + 1, "", syntax_error(e.mark, e.msg));
  }
  if (documents.empty()) {
    fail(file_label, 1, "", "the file holds no document; expected a mapping with 'version: 1' and 'partners'");
  }
  if (documents.size() > 1) {
    fail(file_label, line_of(documents[1]), "",
         "the file holds " + std::to_string(documents.size()) + " documents; put every partner in one");
  }
  return documents.front();
}

int line_of(const YAML::Node& node) {
  const YAML::Mark mark = node.Mark();
  return mark.is_null() ? 0 : mark.line + 1;
}

std::string shown(std::string_view text) {
  std::string_view cut = text;
  if (cut.size() > k_shown_max) {
    cut = cut.substr(0, k_shown_max - 3);
    while (!cut.empty() && (static_cast<unsigned char>(cut.back()) & 0xC0) == 0x80) cut.remove_suffix(1);
    if (!cut.empty() && static_cast<unsigned char>(cut.back()) >= 0xC0) cut.remove_suffix(1);
  }
  std::string out(1, '"');  // appended, not "\"" + …: GCC 12 warns falsely (-Wrestrict) on that
  out += util::escape_controls(cut);
  out += '"';
  if (cut.size() < text.size()) out += "…";
  return out;
}

}  // namespace xtsync::api::apply_file_detail
