// JSON as text a person wrote: where a syntax error is, and on which line each key stands.
// Boost.JSON's values carry no positions, so these read the text itself.
#pragma once

#include <boost/json/value.hpp>
#include <string>
#include <string_view>
#include <vector>

namespace xtsync::util {

struct JsonSyntaxError {
  std::string reason;  // the parser's words, e.g. "syntax error"
  int line = 1;        // 1-based
  int column = 1;      // 1-based, in characters (UTF-8 code points)
};

// Parses `text` into `out`; on failure fills `error` with the reason and where the parser stopped.
bool parse_json_text(std::string_view text, boost::json::value& out, JsonSyntaxError& error);

// An object key with the keys of the objects around it (outermost first) and its line.
// Array elements add no step: the path of "a" in {"x":[{"a":1}]} is x, a.
struct JsonKeyLine {
  std::vector<std::string> path;
  int line = 1;
};

// Every object key of `text`, which must be valid JSON, in document order, repeats included.
std::vector<JsonKeyLine> json_key_lines(std::string_view text);

}  // namespace xtsync::util
