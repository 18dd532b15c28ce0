#include "http/redirect.hpp"

#include <fmt/format.h>

#include "error.hpp"
#include "util/secrets.hpp"
#include "util/strings.hpp"

namespace xtsync::http {

bool is_redirect_status(int status) noexcept {
  return status == 301 || status == 302 || status == 303 || status == 307 || status == 308;
}

std::optional<RedirectStep> redirect_step(const Request& request, const Response& response, const Url& home,
                                          std::string_view what) {
  if (!is_redirect_status(response.status)) return std::nullopt;
  const auto location = response.header("Location");
  if (!location) return std::nullopt;

  const Url from = parse_url(request.url);
  std::string target = location->starts_with("/") && !location->starts_with("//")
                           ? from.scheme + "://" + host_port(from.host, from.port) + *location
                           : *location;
  Url to;
  try {
    to = parse_url(target);
  } catch (const Error&) {
    throw Error(ErrorKind::failure,
                fmt::format("cannot {}: the server redirected to an unusable location", what));
  }
  if (from.tls() && !to.tls()) {
    throw Error(ErrorKind::failure,
                fmt::format("cannot {}: refusing a redirect from https:// to http://", what));
  }

  RedirectStep step;
  step.next = request;
  step.next.url = std::move(target);
  step.leaves_home = to.origin() != home.origin();
  if (step.leaves_home) {
    std::erase_if(step.next.headers, [](const Header& h) { return util::is_secret_header(h.name); });
  }
  if (response.status == 303) {
    step.next.method = "GET";
    step.next.body.clear();
    std::erase_if(step.next.headers, [](const Header& h) { return util::iequals(h.name, "Content-Type"); });
  }
  return step;
}

}  // namespace xtsync::http
