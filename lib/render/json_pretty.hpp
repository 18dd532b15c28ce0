// Indented JSON for humans and diff-friendly scripts; Boost.JSON 1.81 only writes compact JSON.
#pragma once

#include <boost/json/fwd.hpp>
#include <string>

namespace xtsync::render {

// Two-space indentation, keys in the object's own order, a trailing newline.
std::string pretty_json(const boost::json::value& value);

// A JSON array written as its items arrive, in exactly pretty_json's layout of the whole array.
class JsonArrayWriter {
 public:
  std::string item(const boost::json::value& value);  // the text to write for the next item
  std::string end() const;                              // "]\n", or "[]\n" when there was none

 private:
  bool any_ = false;
};

}  // namespace xtsync::render
