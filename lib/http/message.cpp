#include "http/message.hpp"

#include <algorithm>

#include "util/strings.hpp"

namespace xtsync::http {

std::optional<std::string> find_header(const Headers& headers, std::string_view name) {
  for (const auto& h : headers) {
    if (util::iequals(h.name, name)) return h.value;
  }
  return std::nullopt;
}

void set_header(Headers& headers, std::string_view name, std::string value) {
  std::erase_if(headers, [&](const Header& h) { return util::iequals(h.name, name); });
  headers.push_back({std::string(name), std::move(value)});
}

}  // namespace xtsync::http
