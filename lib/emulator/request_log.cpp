#include "emulator/request_log.hpp"

#include <boost/json/object.hpp>

#include "util/strings.hpp"

namespace xtsync::emulator {

namespace json = boost::json;

namespace {

// At most k_max_logged_body bytes, not ending inside a UTF-8 sequence.
std::string_view truncated_body(std::string_view body) {
  if (body.size() <= k_max_logged_body) return body;
  std::size_t end = k_max_logged_body;
  while (end > 0 && (static_cast<unsigned char>(body[end]) & 0xC0) == 0x80) --end;
  return body.substr(0, end);
}

}  // namespace

void RequestLog::record(const http::Request& request, std::uint64_t connection, Clock::time_point received,
                        std::string_view batch_item) {
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
  if (capacity_ == 0) return;
  json::object entry{{"method", request.method},
                     {"target", request.url},
                     {"headers", std::move(headers)},
                     {"body", truncated_body(request.body)},
                     {"connection", connection},
                     {"time", iso_utc_millis(received)}};
  if (!batch_item.empty()) entry["batchItem"] = batch_item;
  if (request.body.size() > k_max_logged_body) {
    entry["bodyTruncated"] = true;
    entry["bodySize"] = request.body.size();
  }
  if (entries_.size() == capacity_) entries_.pop_front();
  entries_.push_back(std::move(entry));
}

json::array RequestLog::entries() const {
  json::array out;
  out.reserve(entries_.size());
  for (const auto& entry : entries_) out.push_back(entry);
  return out;
}

}  // namespace xtsync::emulator
