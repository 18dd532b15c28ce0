// Reading request bodies the way Graph's OData reader does, with its error messages.
#pragma once

#include <boost/json/object.hpp>
#include <boost/json/value.hpp>
#include <string_view>

namespace xtsync::emulator {

// The body as a JSON object; GraphError(400, "BadRequest") for invalid JSON or another JSON kind.
boost::json::object parse_object_body(std::string_view body);

// Instance and property annotations (`@odata.type`, `x@odata.type`): ignored by the OData reader.
bool is_annotation(std::string_view key) noexcept;

// Type checks for one property; each throws GraphError(400, "BadRequest") with OData's wording.
void expect_string_or_null(const boost::json::value& value, std::string_view property);
void expect_bool_or_null(const boost::json::value& value, std::string_view property);
void expect_object_or_null(const boost::json::value& value, std::string_view property);

[[noreturn]] void throw_unknown_property(std::string_view property, std::string_view type);

}  // namespace xtsync::emulator
