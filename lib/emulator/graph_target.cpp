#include "emulator/graph_target.hpp"

#include <algorithm>
#include <array>
#include <boost/url/parse.hpp>
#include <boost/url/url_view.hpp>

#include "emulator/graph_response.hpp"
#include "util/strings.hpp"

namespace xtsync::emulator {

namespace {

constexpr std::array<std::string_view, 12> k_system_options = {"select", "expand", "filter",     "orderby",
                                                               "top",    "skip",   "skiptoken",  "count",
                                                               "search", "format", "deltatoken", "apply"};

boost::urls::url_view parse_url_view(std::string_view target) {
  auto parsed = boost::urls::parse_uri_reference(target);
  if (!parsed || (!parsed->has_scheme() && !parsed->is_path_absolute())) {
    throw GraphError(400, "BadRequest", "The request URI is not valid.");
  }
  return *parsed;
}

// `name('key')` or `name(prop='key')` → name, key; anything else stays one segment.
void push_segment(std::vector<std::string>& out, std::string segment) {
  const auto open = segment.find('(');
  if (open == std::string::npos || open == 0 || segment.back() != ')') {
    out.push_back(std::move(segment));
    return;
  }
  std::string key = segment.substr(open + 1, segment.size() - open - 2);
  if (const auto eq = key.find('='); eq != std::string::npos && key.find('\'') > eq) key = key.substr(eq + 1);
  if (key.size() >= 2 && key.front() == '\'' && key.back() == '\'') key = key.substr(1, key.size() - 2);
  out.push_back(segment.substr(0, open));
  out.push_back(std::move(key));
}

}  // namespace

std::string_view version_name(ApiVersion version) noexcept {
  return version == ApiVersion::beta ? "beta" : "v1.0";
}

std::optional<std::string> QueryOptions::get(std::string_view name) const {
  for (const auto& [key, value] : items) {
    if (key == name) return value;
  }
  return std::nullopt;
}

Target parse_target(std::string_view target) {
  const auto url = parse_url_view(target);
  Target out;
  for (auto segment : url.segments()) push_segment(out.segments, std::string(segment));
  if (!out.segments.empty() && out.segments.back().empty()) out.segments.pop_back();
  for (auto param : url.params()) out.params.emplace_back(std::string(param.key), std::string(param.value));
  return out;
}

std::optional<ApiVersion> parse_version(std::string_view segment) {
  if (util::iequals(segment, "beta")) return ApiVersion::beta;
  if (util::iequals(segment, "v1.0")) return ApiVersion::v1_0;
  return std::nullopt;
}

QueryOptions system_query_options(const Target& target, ApiVersion version) {
  QueryOptions out;
  for (const auto& [raw_key, value] : target.params) {
    std::string key = util::to_lower(raw_key);
    const bool prefixed = !key.empty() && key.front() == '$';
    if (prefixed) key.erase(0, 1);
    const bool known =
        std::find(k_system_options.begin(), k_system_options.end(), key) != k_system_options.end();
    if (known && (prefixed || version == ApiVersion::beta)) out.items.emplace_back(std::move(key), value);
  }
  return out;
}

}  // namespace xtsync::emulator
