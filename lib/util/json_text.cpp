#include "util/json_text.hpp"

#include <boost/json/parse.hpp>
#include <boost/json/stream_parser.hpp>

namespace xtsync::util {

namespace json = boost::json;

namespace {

void locate(std::string_view text, std::size_t offset, JsonSyntaxError& at) {
  at.line = 1;
  at.column = 1;
  for (std::size_t i = 0; i < offset && i < text.size(); ++i) {
    const auto c = static_cast<unsigned char>(text[i]);
    if (c == '\n') {
      ++at.line;
      at.column = 1;
    } else if ((c & 0xC0) != 0x80) {  // continuation bytes belong to the character before
      ++at.column;
    }
  }
}

// The index of the quote that closes the string opening at `open`.
std::size_t string_end(std::string_view text, std::size_t open) {
  std::size_t i = open + 1;
  while (i < text.size() && text[i] != '"') i += text[i] == '\\' ? 2 : 1;
  return i;
}

}  // namespace

bool parse_json_text(std::string_view text, json::value& out, JsonSyntaxError& error) {
  json::error_code ec;
  out = json::parse(text, ec);
  if (!ec) return true;
  error.reason = ec.message();
  // The stream parser says how far it got; that is where the text stops being JSON.
  json::stream_parser parser;
  json::error_code where_ec;
  std::size_t offset = parser.write_some(text.data(), text.size(), where_ec);
  if (!where_ec) offset = text.size();
  locate(text, offset, error);
  return false;
}

std::vector<JsonKeyLine> json_key_lines(std::string_view text) {
  struct Frame {
    bool object;
    std::vector<std::string> path;
  };
  std::vector<JsonKeyLine> keys;
  std::vector<Frame> frames;
  std::vector<std::string> last_key_path;  // the path a value opening now belongs to
  bool expect_key = false;
  int line = 1;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (c == '\n') {
      ++line;
    } else if (c == '{' || c == '[') {
      std::vector<std::string> path = frames.empty() ? std::vector<std::string>{}
                                      : frames.back().object ? last_key_path
                                                             : frames.back().path;
      frames.push_back({c == '{', std::move(path)});
      expect_key = c == '{';
    } else if (c == '}' || c == ']') {
      if (!frames.empty()) frames.pop_back();
      expect_key = false;
    } else if (c == ',') {
      expect_key = !frames.empty() && frames.back().object;
    } else if (c == '"') {
      const std::size_t end = string_end(text, i);
      if (expect_key) {
        json::error_code ec;
        const auto key = json::parse(text.substr(i, end - i + 1), ec);
        last_key_path = frames.back().path;
        last_key_path.emplace_back(!ec && key.is_string() ? std::string(key.get_string()) : "");
        keys.push_back({last_key_path, line});
        expect_key = false;
      }
      i = end;
    }
  }
  return keys;
}

}  // namespace xtsync::util
