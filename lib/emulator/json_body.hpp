// Reading request bodies the way Graph's OData reader does, with its error messages.
#pragma once

#include <boost/json/object.hpp>
#include <boost/json/value.hpp>
#include <string_view>

namespace xtsync::emulator {

// The body as a JSON object; GraphError(400, "BadRequest") for invalid JSON, a number out of the
// range of a double, or another JSON kind.
boost::json::object parse_object_body(std::string_view body);

// Whether every number in `value` is finite. Boost.JSON reads 1e999 as infinity and would then
// write "Infinity", which is not JSON: such input is refused instead.
bool all_numbers_finite(const boost::json::value& value) noexcept;

// Instance and property annotations (`@odata.type`, `x@odata.type`): ignored by the OData reader.
bool is_annotation(std::string_view key) noexcept;

// Type checks for one property; each throws GraphError(400, "BadRequest") with OData's wording.
void expect_string_or_null(const boost::json::value& value, std::string_view property);
void expect_bool_or_null(const boost::json::value& value, std::string_view property);
void expect_object_or_null(const boost::json::value& value, std::string_view property);

[[noreturn]] void throw_unknown_property(std::string_view property, std::string_view type);

}  // namespace xtsync::emulator
