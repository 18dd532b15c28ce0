#include "graph/graph_error.hpp"

#include <fmt/format.h>
#include <boost/json.hpp>

#include "util/strings.hpp"
#include "util/redact.hpp"
#include "util/terminal_text.hpp"

namespace xtsync::graph {

namespace json = boost::json;

namespace {

const json::value* find_ci(const json::object& o, std::string_view key) {
  for (const auto& [k, v] : o) {
    if (util::iequals(k, key)) return &v;
  }
  return nullptr;
}

std::string string_at_ci(const json::object& o, std::string_view key) {
  const auto* v = find_ci(o, key);
  return v && v->is_string() ? std::string(v->get_string()) : std::string();
}

// A short, single-line excerpt of a body that is not a Graph error, for the message.
std::string excerpt(std::string_view body) {
  std::string out;
  for (char c : body.substr(0, 160)) out += (c == '\n' || c == '\r' || c == '\t') ? ' ' : c;
  out = std::string(util::trim(out));
  if (body.size() > 160) out += "…";
  return out;
}

}  // namespace

ErrorBody parse_error_body(std::string_view body) {
  ErrorBody out;
  boost::system::error_code ec;
  json::value jv = json::parse(body, ec);
  if (ec || !jv.is_object()) return out;
  const auto* err = find_ci(jv.get_object(), "error");
  if (!err || !err->is_object()) return out;
  const auto& e = err->get_object();
  out.code = string_at_ci(e, "code");
  out.message = string_at_ci(e, "message");
  // innerError may nest further innerErrors; the deepest code is the most specific one.
  for (const auto* inner = find_ci(e, "innerError"); inner && inner->is_object();
       inner = find_ci(inner->get_object(), "innerError")) {
    const auto& io = inner->get_object();
    if (auto code = string_at_ci(io, "code"); !code.empty()) out.inner_code = code;
    if (auto id = string_at_ci(io, "request-id"); !id.empty() && out.request_id.empty()) out.request_id = id;
    if (auto id = string_at_ci(io, "client-request-id"); !id.empty() && out.client_request_id.empty()) {
      out.client_request_id = id;
    }
    if (auto date = string_at_ci(io, "date"); !date.empty() && out.date.empty()) out.date = date;
  }
  return out;
}

ErrorKind kind_for_status(int status) {
  switch (status) {
    case 401:
    case 403:
      return ErrorKind::auth;
    case 404:
      return ErrorKind::not_found;
    case 409:
      return ErrorKind::conflict;
    case 429:
    case 503:
    case 504:
      return ErrorKind::throttled;
    default:
      return ErrorKind::failure;
  }
}

Error error_from_response(const http::Response& response, std::string_view what, std::string_view note) {
  const ErrorBody body = parse_error_body(response.body);
  std::string detail = body.message;
  if (detail.empty()) {
    detail = response.body.empty() ? response.reason : "unexpected response: " + excerpt(response.body);
  }
  std::string message = fmt::format("cannot {}: HTTP {}", what, response.status);
  // Graph's (or a proxy's) words, not ours: shown escaped so they cannot drive the terminal.
  // Tokens shaped like JWTs are hidden too, ours or anyone's.
  if (!detail.empty()) message += ": " + util::escape_controls(util::redact_jwts(detail));
  if (!note.empty()) message += fmt::format(" ({})", note);

  Error error(kind_for_status(response.status), message);
  error.http_status = response.status;
  error.graph_code = util::escape_controls(body.code);
  error.request_id = body.request_id.empty() ? response.header("request-id").value_or("") : body.request_id;
  error.client_request_id = response.header("client-request-id").value_or(body.client_request_id);
  switch (response.status) {
    case 401:
      error.hint =
          "the access token was rejected: check that it has not expired and was issued for this "
          "Graph cloud; 'xtsync auth status' shows what signs in";
      break;
    case 403:
      error.hint =
          "the caller needs Policy.Read.All to read (for a signed-in admin, with Security Reader or Global "
          "Reader) and Policy.ReadWrite.CrossTenantAccess to write (with Security Administrator)";
      break;
    default:
      break;
  }
  return error;
}

}  // namespace xtsync::graph
