#include "emulator/faults.hpp"

#include <fmt/format.h>
#include <algorithm>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <stdexcept>

#include "util/strings.hpp"

namespace xtsync::emulator {

namespace json = boost::json;

namespace {

std::string_view action_name(FaultAction action) {
  switch (action) {
    case FaultAction::respond:
      return "respond";
    case FaultAction::close:
      return "close";
    case FaultAction::close_mid_body:
      return "close-mid-body";
    case FaultAction::drip:
      return "drip";
    case FaultAction::reset:
      return "reset";
    case FaultAction::reset_mid_body:
      return "reset-mid-body";
  }
  return "respond";
}

std::int64_t integer_field(const json::value& value, std::string_view name, std::int64_t min,
                           std::int64_t max) {
  const auto* number = value.if_int64();
  std::int64_t n = 0;
  if (number) {
    n = *number;
  } else if (const auto* u = value.if_uint64(); u && *u <= static_cast<std::uint64_t>(max)) {
    n = static_cast<std::int64_t>(*u);
  } else {
    throw std::invalid_argument(fmt::format("'{}' must be an integer", name));
  }
  if (n < min || n > max)
    throw std::invalid_argument(fmt::format("'{}' must be between {} and {}", name, min, max));
  return n;
}

std::string string_field(const json::value& value, std::string_view name) {
  if (!value.is_string()) throw std::invalid_argument(fmt::format("'{}' must be a string", name));
  return std::string(value.as_string());
}

// RFC 9110 §5.6.2 token: what a field name may be made of.
bool is_token(std::string_view text) noexcept {
  constexpr std::string_view k_specials = "!#$%&'*+-.^_`|~";
  return !text.empty() && std::all_of(text.begin(), text.end(), [&](char c) {
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
           k_specials.find(c) != std::string_view::npos;
  });
}

// A scripted header value: CR or LF would end the header early and let a script inject others
// (or a whole response); NUL is never valid in a field value.
std::string header_value(std::string value, std::string_view field) {
  if (value.find_first_of(std::string_view("\r\n\0", 3)) != std::string::npos) {
    throw std::invalid_argument(fmt::format("'{}' must not contain CR, LF or NUL", field));
  }
  return value;
}

}  // namespace

bool Fault::matches(std::string_view request_method, std::string_view target) const {
  if (method && !util::iequals(*method, request_method)) return false;
  return !path || util::to_lower(target).find(util::to_lower(*path)) != std::string::npos;
}

http::Response Fault::response(const CallContext& ctx) const {
  const int code = status.value_or(500);
  http::Response out;
  if (body) {
    json::error_code ec;
    const bool is_json = !body->empty() && (json::parse(*body, ec), !ec);
    out = is_json ? graph_json(code, json::object{}, ctx) : graph_no_content(ctx);
    out.body = *body;
    if (!is_json && !body->empty())
      http::set_header(out.headers, "Content-Type", "text/plain; charset=utf-8");
  } else if (code >= 400) {
    const StatusError error = default_error_for_status(code);
    out = graph_json(code, error_body(error.code, error.message, {}, ctx), ctx);
  } else {
    out = graph_no_content(ctx);
  }
  out.status = code;
  if (content_type) http::set_header(out.headers, "Content-Type", *content_type);
  if (retry_after) http::set_header(out.headers, "Retry-After", *retry_after);
  for (const auto& h : headers) http::set_header(out.headers, h.name, h.value);
  return out;
}

json::object Fault::to_json() const {
  json::object out{
      {"id", id}, {"count", remaining}, {"action", action_name(action)}, {"delayMs", delay.count()}};
  if (method) out["method"] = *method;
  if (path) out["path"] = *path;
  if (status) out["status"] = *status;
  if (retry_after) out["retryAfter"] = *retry_after;
  if (body) out["body"] = *body;
  if (content_type) out["contentType"] = *content_type;
  if (!headers.empty()) {
    json::object h;
    for (const auto& [name, value] : headers) h[name] = value;
    out["headers"] = std::move(h);
  }
  if (apply) out["apply"] = true;
  return out;
}

Fault parse_fault(const json::value& spec) {
  if (!spec.is_object()) throw std::invalid_argument("a fault is a JSON object");
  Fault fault;
  for (const auto& [key, value] : spec.as_object()) {
    if (key == "method") {
      std::string method = string_field(value, key);
      std::transform(method.begin(), method.end(), method.begin(),
                     [](char c) { return static_cast<char>(c >= 'a' && c <= 'z' ? c - 'a' + 'A' : c); });
      fault.method = std::move(method);
    } else if (key == "path") {
      fault.path = string_field(value, key);
    } else if (key == "count") {
      fault.remaining = static_cast<int>(integer_field(value, key, 1, 1'000'000));
    } else if (key == "action") {
      const std::string action = string_field(value, key);
      if (action == "respond") {
        fault.action = FaultAction::respond;
      } else if (action == "close") {
        fault.action = FaultAction::close;
      } else if (action == "close-mid-body") {
        fault.action = FaultAction::close_mid_body;
      } else if (action == "drip") {
        fault.action = FaultAction::drip;
      } else if (action == "reset") {
        fault.action = FaultAction::reset;
      } else if (action == "reset-mid-body") {
        fault.action = FaultAction::reset_mid_body;
      } else {
        throw std::invalid_argument(
            "'action' must be \"respond\", \"close\", \"close-mid-body\", \"drip\", \"reset\" or "
            "\"reset-mid-body\"");
      }
    } else if (key == "status") {
      fault.status = static_cast<int>(integer_field(value, key, 200, 599));
    } else if (key == "retryAfter") {
      // Verbatim, so tests can send odd values; a JSON number is sent as written.
      if (value.is_structured() || value.is_null())
        throw std::invalid_argument("'retryAfter' must be a string");
      if (value.is_string()) {
        fault.retry_after = header_value(std::string(value.as_string()), key);
      } else if (value.is_double()) {
        fault.retry_after = fmt::format("{}", value.as_double());  // shortest form: 2.128, not 2.128E0
      } else {
        fault.retry_after = json::serialize(value);
      }
    } else if (key == "body") {
      fault.body = value.is_string() ? std::string(value.as_string()) : json::serialize(value);
    } else if (key == "contentType") {
      fault.content_type = header_value(string_field(value, key), key);
    } else if (key == "headers") {
      if (!value.is_object()) throw std::invalid_argument("'headers' must be an object of strings");
      for (const auto& [name, header] : value.as_object()) {
        const std::string field = "headers." + std::string(name);
        if (!is_token(name)) {
          throw std::invalid_argument(
              fmt::format("'{}': a header name must be an RFC 9110 token (letters, digits and !#$%&'*+-.^_`|~)",
                          field));
        }
        fault.headers.push_back({std::string(name), header_value(string_field(header, field), field)});
      }
    } else if (key == "delayMs") {
      fault.delay = std::chrono::milliseconds(integer_field(value, key, 0, 3'600'000));
    } else if (key == "dripMs") {
      fault.drip = std::chrono::milliseconds(integer_field(value, key, 1, 60'000));
    } else if (key == "apply") {
      if (!value.is_bool()) throw std::invalid_argument("'apply' must be true or false");
      fault.apply = value.as_bool();
    } else {
      throw std::invalid_argument(fmt::format("unknown fault property '{}'", std::string_view(key)));
    }
  }
  if (fault.apply && fault.action != FaultAction::close) {
    throw std::invalid_argument("'apply' is only meaningful with action \"close\"");
  }
  return fault;
}

const Fault& FaultList::add(Fault fault) {
  fault.id = next_id_++;
  faults_.push_back(std::move(fault));
  return faults_.back();
}

std::optional<Fault> FaultList::take(std::string_view method, std::string_view target) {
  const auto it =
      std::find_if(faults_.begin(), faults_.end(), [&](const Fault& f) { return f.matches(method, target); });
  if (it == faults_.end()) return std::nullopt;
  Fault used = *it;
  if (--it->remaining <= 0) faults_.erase(it);
  return used;
}

json::array FaultList::to_json() const {
  json::array out;
  for (const auto& fault : faults_) out.push_back(fault.to_json());
  return out;
}

}  // namespace xtsync::emulator
