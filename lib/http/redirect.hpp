// Following a redirect, as a pure step: where the request goes next and whether its
// credentials may go with it.
#pragma once

#include <optional>
#include <string>

#include "http/message.hpp"
#include "http/url.hpp"

namespace xtsync::http {

inline constexpr int k_max_redirects = 5;

bool is_redirect_status(int status) noexcept;

struct RedirectStep {
  Request next;              // the request to send instead
  bool leaves_home = false;  // the target is not the origin the request started at
};

// The request a redirect response leads to, or nullopt when `response` is not a redirect (no
// Location, or not 301/302/303/307/308). 303 turns the request into a GET without a body.
// Credentials never follow a redirect off `home` (the origin the call started at): every
// credential header is dropped from `next` once it leaves. Throws Error(failure) naming `what`
// for a redirect from https:// to http:// or a Location that is not a usable URL — a request
// was sent, so this is the server's answer at fault, not the user's input.
std::optional<RedirectStep> redirect_step(const Request& request, const Response& response, const Url& home,
                                          std::string_view what);

}  // namespace xtsync::http
