// The real Transport: HTTP/1.1 over TCP (loopback http://) or TLS (https://) with Boost.Beast.
// This header is the target's whole public face; wire.hpp and tls.hpp are its private parts.
#pragma once

#include <memory>

#include "http/transport.hpp"

namespace xtsync::http {

std::unique_ptr<Transport> make_beast_transport(const TransportOptions& options);

}  // namespace xtsync::http
