// A Graph property that can be absent, explicitly null, or hold a value.
// Graph treats the three differently (PATCH leaves absent properties alone, sets null ones),
// so the model keeps them apart instead of folding absent into null.
#pragma once

#include <optional>
#include <utility>

namespace xtsync::graph {

template <class T>
struct Property {
  bool present = false;
  std::optional<T> value;  // nullopt while absent or null

  static Property of(T v) { return Property{true, std::move(v)}; }
  static Property null() { return Property{true, std::nullopt}; }

  bool has_value() const { return value.has_value(); }
  bool operator==(const Property&) const = default;
};

}  // namespace xtsync::graph
