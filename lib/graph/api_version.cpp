#include "graph/api_version.hpp"

#include "error.hpp"

namespace xtsync::graph {

ApiVersion parse_api_version(std::string_view text, std::string_view where) {
  if (text == "beta") return ApiVersion::beta;
  if (text == "v1.0") return ApiVersion::v1_0;
  throw usage_error("invalid API version '" + std::string(text) + "' (" + std::string(where) +
                    "; use beta or v1.0)");
}

std::string_view path_segment(ApiVersion version) noexcept {
  return version == ApiVersion::beta ? "beta" : "v1.0";
}

void require_beta(ApiVersion version, std::string_view what) {
  if (version != ApiVersion::beta) {
    throw usage_error(std::string(what) + " needs --api-version beta (Graph v1.0 has no deleted items)");
  }
}

}  // namespace xtsync::graph
