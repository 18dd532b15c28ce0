// Reading fields of JSON objects that come from someone else: a missing key and a value of
// the wrong type both read as "not there".
#pragma once

#include <boost/json/object.hpp>
#include <string>
#include <string_view>

namespace xtsync::util {

// The string at `key`, or empty when it is absent or not a string.
inline std::string string_at(const boost::json::object& object, std::string_view key) {
  const auto* v = object.if_contains(key);
  return v && v->is_string() ? std::string(v->get_string()) : std::string();
}

}  // namespace xtsync::util
