// Indented JSON for humans and diff-friendly scripts; Boost.JSON 1.81 only writes compact JSON.
#pragma once

#include <boost/json/fwd.hpp>
#include <string>

namespace xtsync::render {

// Two-space indentation, keys in the object's own order, a trailing newline.
std::string pretty_json(const boost::json::value& value);

}  // namespace xtsync::render
