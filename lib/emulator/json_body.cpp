#include "emulator/json_body.hpp"

#include <fmt/format.h>
#include <boost/json/parse.hpp>
#include <cmath>

#include "emulator/graph_response.hpp"

namespace xtsync::emulator {

namespace json = boost::json;

namespace {

// The OData reader's name for the node a JSON value starts with.
std::string_view node_kind(const json::value& value) {
  if (value.is_object()) return "StartObject";
  if (value.is_array()) return "StartArray";
  return "PrimitiveValue";
}

[[noreturn]] void throw_unexpected_node(const json::value& value, std::string_view property,
                                        std::string_view wanted) {
  throw GraphError(
      400, "BadRequest",
      fmt::format("An unexpected '{}' node was found for property named '{}' when reading from the "
                  "JSON reader. A '{}' node was expected.",
                  node_kind(value), property, wanted));
}

[[noreturn]] void throw_not_convertible(std::string_view edm_type) {
  throw GraphError(400, "BadRequest",
                   fmt::format("Cannot convert a primitive value to the expected type '{}'. See the inner "
                               "exception for more details.",
                               edm_type));
}

}  // namespace

json::object parse_object_body(std::string_view body) {
  json::error_code ec;
  json::value value = json::parse(body, ec);
  if (ec) {
    throw GraphError(
        400, "BadRequest",
        "Unable to read JSON request payload. Please ensure Content-Type header is set and payload is "
        "of valid JSON format.");
  }
  if (!all_numbers_finite(value)) {
    throw GraphError(400, "BadRequest",
                     "Unable to read JSON request payload: a number is too large to be represented.");
  }
  if (!value.is_object()) {
    throw GraphError(400, "BadRequest",
                     fmt::format("An unexpected '{}' node was found when reading from the JSON reader. A "
                                 "'StartObject' node was expected.",
                                 node_kind(value)));
  }
  return std::move(value.as_object());
}

bool all_numbers_finite(const json::value& value) noexcept {
  if (const auto* d = value.if_double()) return std::isfinite(*d);
  if (const auto* a = value.if_array()) {
    for (const auto& item : *a) {
      if (!all_numbers_finite(item)) return false;
    }
  }
  if (const auto* o = value.if_object()) {
    for (const auto& [key, item] : *o) {
      if (!all_numbers_finite(item)) return false;
    }
  }
  return true;
}

bool is_annotation(std::string_view key) noexcept {
  return key.find('@') != std::string_view::npos;
}

void expect_string_or_null(const json::value& value, std::string_view property) {
  if (value.is_null() || value.is_string()) return;
  if (value.is_structured()) throw_unexpected_node(value, property, "PrimitiveValue");
  throw_not_convertible("Edm.String");
}

void expect_bool_or_null(const json::value& value, std::string_view property) {
  if (value.is_null() || value.is_bool()) return;
  if (value.is_structured()) throw_unexpected_node(value, property, "PrimitiveValue");
  throw_not_convertible("Edm.Boolean");
}

void expect_object_or_null(const json::value& value, std::string_view property) {
  if (value.is_null() || value.is_object()) return;
  throw_unexpected_node(value, property, "StartObject");
}

void throw_unknown_property(std::string_view property, std::string_view type) {
  throw GraphError(
      400, "BadRequest",
      fmt::format("Property '{}' does not exist on type '{}'. Make sure to only use property names "
                  "that are defined by the type or mark the type as open type.",
                  property, type));
}

}  // namespace xtsync::emulator
