#include "emulator/request_log.hpp"

#include <boost/json/object.hpp>

#include "util/strings.hpp"

namespace xtsync::emulator {

namespace json = boost::json;

void RequestLog::record(const http::Request& request, std::uint64_t connection, Clock::time_point received) {
  json::object headers;
  for (const auto& h : request.headers) {
    const std::string name = util::to_lower(h.name);
    // Repeated headers are combined the way HTTP allows: one comma-separated value.
    if (auto* existing = headers.if_contains(name)) {
      existing->as_string().append(", ");
      existing->as_string().append(h.value);
    } else {
      headers[name] = h.value;
    }
  }
  entries_.push_back(json::object{{"method", request.method},
                                  {"target", request.url},
                                  {"headers", std::move(headers)},
                                  {"body", request.body},
                                  {"connection", connection},
                                  {"time", iso_utc_millis(received)}});
}

}  // namespace xtsync::emulator
