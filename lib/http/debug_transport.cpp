#include "http/debug_transport.hpp"

#include <fmt/format.h>
#include <algorithm>
#include <boost/json.hpp>
#include <chrono>
#include <mutex>
#include <ostream>
#include <sstream>

#include "error.hpp"
#include "util/redact.hpp"
#include "util/secrets.hpp"
#include "util/terminal_text.hpp"
#include "util/strings.hpp"

namespace xtsync::http {

namespace json = boost::json;

namespace {

constexpr std::string_view k_redacted = "[REDACTED]";
constexpr std::size_t k_max_logged_body = 4096;

// A JWT under an innocent name (GitHub's ID token comes back as "value") is still a credential.
bool looks_like_jwt(std::string_view s) {
  return s.starts_with("eyJ") && std::count(s.begin(), s.end(), '.') == 2;
}

void redact_json(json::value& v) {
  if (v.is_object()) {
    for (auto& [key, value] : v.get_object()) {
      if (value.is_string() &&
          (util::is_secret_field(key, util::FieldContext::json) || looks_like_jwt(value.get_string()))) {
        value = k_redacted;
      } else if (value.is_string() && value.get_string().find("eyJ") != json::string::npos) {
        value = util::redact_jwts(value.get_string());  // a token inside a longer text
      } else {
        redact_json(value);
      }
    }
  } else if (v.is_array()) {
    for (auto& item : v.get_array()) redact_json(item);
  }
}

// name=value&name=value with secret values replaced (form bodies and query strings).
std::string redact_pairs(std::string_view text) {
  std::string out;
  std::size_t start = 0;
  while (start <= text.size()) {
    const auto end = std::min(text.find('&', start), text.size());
    const auto pair = text.substr(start, end - start);
    const auto eq = pair.find('=');
    if (eq != std::string_view::npos && util::is_secret_field(pair.substr(0, eq), util::FieldContext::form)) {
      out += pair.substr(0, eq + 1);
      out += k_redacted;
    } else {
      out += pair;
    }
    if (end == text.size()) break;
    out += '&';
    start = end + 1;
  }
  return out;
}

void log_headers(std::ostream& log, char direction, const Headers& headers) {
  for (const auto& h : headers)
    log << "debug: " << direction << ' ' << util::escape_controls(h.name) << ": "
        << util::escape_controls(redact_header(h.name, h.value)) << '\n';
}

void log_body(std::ostream& log, char direction, std::string_view body) {
  if (body.empty()) return;
  std::string shown = redact_body(body);
  if (shown.size() > k_max_logged_body)
    shown = shown.substr(0, k_max_logged_body) + fmt::format("… ({} bytes)", body.size());
  log << "debug: " << direction << ' ' << util::escape_controls(shown) << '\n';
}

}  // namespace

std::string redact_header(std::string_view name, std::string_view value) {
  if (!util::is_secret_header(name)) return std::string(value);
  const auto space = value.find(' ');
  if (space != std::string_view::npos && space > 0 && space < 16) {
    return std::string(value.substr(0, space + 1)) + std::string(k_redacted);
  }
  return std::string(k_redacted);
}

std::string redact_body(std::string_view body) {
  boost::system::error_code ec;
  json::value jv = json::parse(body, ec);
  if (!ec) {
    redact_json(jv);
    return json::serialize(jv);
  }
  // Not JSON: treat it as form fields if it looks like them, else show it as is.
  if (body.find('=') != std::string_view::npos && body.find_first_of(" \n{<") == std::string_view::npos) {
    return redact_pairs(body);
  }
  return util::redact_jwts(body);
}

std::string redact_url(std::string_view url) {
  std::string out(url);
  // user:password@host
  if (const auto scheme = out.find("://"); scheme != std::string::npos) {
    const auto host_end = out.find_first_of("/?#", scheme + 3);
    const auto at = out.rfind('@', host_end == std::string::npos ? out.size() : host_end);
    if (at != std::string::npos && at > scheme)
      out.replace(scheme + 3, at - scheme - 3, std::string(k_redacted));
  }
  if (const auto q = out.find('?'); q != std::string::npos) {
    out = out.substr(0, q + 1) + redact_pairs(std::string_view(out).substr(q + 1));
  }
  return out;
}

// Several connections may log at once (apply): each exchange's lines are written whole.
static std::mutex& log_mutex() {
  static std::mutex mutex;
  return mutex;
}

Response DebugTransport::send(const Request& request) {
  std::ostringstream out;
  out << "debug: > " << request.method << ' ' << redact_url(request.url) << '\n';
  log_headers(out, '>', request.headers);
  log_body(out, '>', request.body);
  write(out.str());
  const auto start = std::chrono::steady_clock::now();
  const auto elapsed = [&] {
    return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - start)
        .count();
  };
  try {
    Response response = inner_.send(request);
    std::ostringstream in;
    in << "debug: < " << response.status << ' ' << util::escape_controls(response.reason) << " (" << elapsed()
       << " ms)\n";
    log_headers(in, '<', response.headers);
    log_body(in, '<', response.body);
    write(in.str());
    return response;
  } catch (const Error& e) {
    write("debug: ! " + util::escape_controls(e.what()) + " (" + std::to_string(elapsed()) + " ms)\n");
    throw;
  }
}

void DebugTransport::write(const std::string& lines) {
  std::lock_guard lock(log_mutex());
  log_ << lines;
  log_.flush();
}

void DebugTransport::reset_connection() {
  write("debug: dropping the kept-alive connection\n");
  inner_.reset_connection();
}

}  // namespace xtsync::http
