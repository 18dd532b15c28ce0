#include "emulator/control_api.hpp"

#include <fmt/format.h>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <stdexcept>

#include "emulator/json_body.hpp"

namespace xtsync::emulator {

namespace json = boost::json;

namespace {

http::Response plain(int status, const json::value* body, Clock::time_point now) {
  http::Response out;
  out.status = status;
  if (body) {
    out.body = json::serialize(*body);
    http::set_header(out.headers, "Content-Type", "application/json");
  }
  http::set_header(out.headers, "Cache-Control", "no-store");
  http::set_header(out.headers, "Date", http_date(now));
  return out;
}

http::Response json_response(int status, const json::value& body, Clock::time_point now) {
  return plain(status, &body, now);
}

http::Response no_content(Clock::time_point now) {
  return plain(204, nullptr, now);
}

http::Response error(int status, std::string_view code, std::string_view message, Clock::time_point now) {
  return json_response(status, json::object{{"error", json::object{{"code", code}, {"message", message}}}},
                       now);
}

json::value parse_json(const http::Request& request) {
  json::error_code ec;
  json::value value = json::parse(request.body, ec);
  if (ec) throw std::invalid_argument(fmt::format("the body is not valid JSON: {}", ec.message()));
  if (!all_numbers_finite(value)) {
    throw std::invalid_argument("the body holds a number too large for a double (it would be served as Infinity)");
  }
  return value;
}

std::string_view path_of(std::string_view target) {
  return target.substr(0, target.find('?'));
}

}  // namespace

bool is_control_target(std::string_view target) noexcept {
  const auto path = path_of(target);
  return path == k_control_prefix ||
         (path.starts_with(k_control_prefix) && path[k_control_prefix.size()] == '/');
}

http::Response ControlApi::handle(const http::Request& request) {
  const auto now = clock_();
  std::string_view path = path_of(request.url).substr(k_control_prefix.size());
  if (path.size() > 1 && path.back() == '/') path.remove_suffix(1);
  const std::string& method = request.method;
  const auto wrong_method = [&] {
    return error(405, "MethodNotAllowed",
                 fmt::format("{} is not allowed on {}{}", method, k_control_prefix, path), now);
  };
  try {
    if (path == "/health") {
      return method == "GET" ? json_response(200, json::object{{"status", "ok"}}, now) : wrong_method();
    }
    if (path == "/reset") {
      if (method != "POST") return wrong_method();
      state_.clear();
      faults_.clear();
      log_.clear();
      graph_.reset_write_stats();
      return no_content(now);
    }
    if (path == "/stats") return method == "GET" ? json_response(200, graph_.write_stats(), now) : wrong_method();
    if (path == "/seed") return method == "POST" ? seed(request) : wrong_method();
    if (path == "/state") return method == "GET" ? state_json() : wrong_method();
    if (path == "/requests") {
      if (method == "GET") return json_response(200, log_.entries(), now);
      if (method != "DELETE") return wrong_method();
      log_.clear();
      return no_content(now);
    }
    if (path == "/faults") {
      if (method == "GET") return json_response(200, faults_.to_json(), now);
      if (method == "POST") return add_fault(request);
      if (method != "DELETE") return wrong_method();
      faults_.clear();
      return no_content(now);
    }
  } catch (const std::invalid_argument& e) {
    return error(400, "BadRequest", e.what(), now);
  }
  return error(404, "NotFound", fmt::format("no control endpoint {}{}", k_control_prefix, path), now);
}

http::Response ControlApi::seed(const http::Request& request) {
  const auto now = clock_();
  // Parsed completely before anything changes, so a bad seed leaves the state alone.
  const State seeded = State::from_json(parse_json(request), iso_utc_seconds(now));
  state_.merge(seeded);
  return no_content(now);
}

http::Response ControlApi::add_fault(const http::Request& request) {
  const Fault& added = faults_.add(parse_fault(parse_json(request)));
  return json_response(201, added.to_json(), clock_());
}

http::Response ControlApi::state_json() const {
  // Partners as bare tenant ids: the same shape /seed accepts.
  json::array partners;
  for (const auto& [tenant, partner] : state_.partners()) partners.emplace_back(tenant);
  json::object body = state_.to_json();
  body["partners"] = std::move(partners);
  return json_response(200, body, clock_());
}

}  // namespace xtsync::emulator
