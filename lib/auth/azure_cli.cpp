#include "auth/azure_cli.hpp"

#include <fmt/format.h>
#include <algorithm>
#include <boost/json/parse.hpp>
#include <ctime>
#include <iomanip>
#include <optional>
#include <sstream>
#include <system_error>
#include <vector>

#include "auth/jwt.hpp"
#include "auth/token_endpoint.hpp"
#include "error.hpp"
#include "util/file.hpp"
#include "util/interrupt.hpp"
#include "util/path_search.hpp"
#include "util/process.hpp"
#include "util/strings.hpp"
#include "util/terminal_text.hpp"
#include "util/redact.hpp"

extern char** environ;

namespace xtsync::auth {

namespace json = boost::json;

namespace {

// The caller's environment, with PATH as the context sees it (az's own script needs it).
std::vector<std::string> child_environment(const std::string& path_value) {
  std::vector<std::string> env;
  for (char** e = environ; e && *e; ++e) {
    if (std::string_view(*e).starts_with("PATH=")) continue;
    env.emplace_back(*e);
  }
  std::string entry = "PATH=";
  entry += path_value;
  env.push_back(std::move(entry));
  return env;
}

// az prints a token of a few KB; anything near this is not an answer.
constexpr std::size_t k_max_output = 1024 * 1024;

// A short single-paragraph excerpt of az's stderr for a message.
std::string stderr_excerpt(std::string_view err) {
  std::string text = util::escape_controls(redact_azure_cli_output(util::trim(err)));
  for (auto& c : text) {
    if (c == '\n' || c == '\r' || c == '\t') c = ' ';
  }
  if (text.size() > 400) {
    text.resize(400);
    text += "…";
  }
  return text;
}

std::optional<std::chrono::system_clock::time_point> parse_local_time(const std::string& text) {
  std::tm tm{};
  std::istringstream in(text);
  in >> std::get_time(&tm, "%Y-%m-%d %H:%M:%S");  // the fraction after the seconds is ignored
  if (in.fail()) return std::nullopt;
  tm.tm_isdst = -1;
  const std::time_t t = std::mktime(&tm);
  if (t == static_cast<std::time_t>(-1)) return std::nullopt;
  return std::chrono::system_clock::from_time_t(t);
}

}  // namespace

std::string redact_azure_cli_output(std::string_view text) {
  std::string out(text);
  constexpr std::string_view k_key = "\"accessToken\"";
  for (auto at = out.find(k_key); at != std::string::npos; at = out.find(k_key, at + k_key.size())) {
    auto i = at + k_key.size();
    while (i < out.size() && (out[i] == ' ' || out[i] == '\t' || out[i] == ':')) ++i;
    if (i >= out.size() || out[i] != '"') continue;
    auto end = i + 1;
    while (end < out.size() && out[end] != '"') end += out[end] == '\\' ? 2 : 1;
    out.replace(i + 1, std::min(end, out.size()) - i - 1, "[redacted]");
  }
  return redact_jwts(out);
}

AccessToken parse_azure_cli_token(std::string_view output) {
  boost::system::error_code ec;
  const json::value parsed = json::parse(output, ec);
  const json::object* body = !ec && parsed.is_object() ? &parsed.get_object() : nullptr;
  const json::value* token = body ? body->if_contains("accessToken") : nullptr;
  if (!token || !token->is_string() || token->get_string().empty()) {
    throw Error(ErrorKind::auth, "the Azure CLI's answer has no accessToken (is 'az' too old?)");
  }
  AccessToken out{std::string(token->get_string()), {}};
  util::register_secret(out.value);
  if (const auto epoch = seconds_field(*body, "expires_on")) {
    out.expires_on = epoch_time(*epoch);
    return out;
  }
  const json::value* local = body->if_contains("expiresOn");
  const auto when =
      local && local->is_string() ? parse_local_time(std::string(local->get_string())) : std::nullopt;
  if (!when)
    throw Error(ErrorKind::auth, "the Azure CLI's answer has no readable expiry (expires_on or expiresOn)");
  out.expires_on = *when;
  return out;
}

AzureCliCredential::AzureCliCredential(AuthContext ctx, std::chrono::seconds timeout)
    : ctx_(std::move(ctx)), timeout_(timeout) {}

AccessToken AzureCliCredential::get_token() {
  const std::string path = ctx_.getenv("PATH").value_or("");
  const auto az = util::find_executable("az", path);
  if (!az) {
    Error error(ErrorKind::auth, "the Azure CLI ('az') was not found on PATH");
    error.hint = "install the Azure CLI and run 'az login', or choose another --auth method";
    throw error;
  }
  std::vector<std::string> args = {"account",  "get-access-token", "--resource-type",
                                   "ms-graph", "--output",         "json"};
  if (!ctx_.tenant.empty()) {
    args.emplace_back("--tenant");
    args.push_back(ctx_.tenant);
  }
  util::SpawnOptions options;
  options.args = std::move(args);
  options.env = child_environment(path);
  // Not the caller's directory: az must not pick up files from wherever xtsync was started.
  options.working_directory.assign(1, '/');  // (not = "/": GCC 12 -O3 -Wrestrict false positive)
  options.timeout = timeout_;
  options.max_output = k_max_output;
  options.own_process_group = true;  // a timeout or Ctrl-C also ends what az started
  options.should_stop = util::interrupt_requested;
  util::SpawnResult result;
  try {
    result = util::spawn_and_capture(*az, options);
  } catch (const std::system_error& e) {
    throw Error(ErrorKind::auth, fmt::format("cannot run the Azure CLI ({}): {}", *az, e.code().message()));
  }
  if (result.stopped) throw Error(ErrorKind::interrupted, "interrupted while waiting for the Azure CLI");
  if (result.truncated) {
    throw Error(ErrorKind::auth, fmt::format("the Azure CLI printed more than {}; that is not a token answer",
                                             util::size_text(k_max_output)));
  }
  if (result.timed_out) {
    throw Error(ErrorKind::auth, fmt::format("the Azure CLI did not answer within {} s", timeout_.count()));
  }
  if (result.exit_code != 0) {
    if (result.err.find("az login") != std::string::npos ||
        result.err.find("az account set") != std::string::npos) {
      Error error(ErrorKind::auth, "the Azure CLI is not signed in: run 'az login'");
      if (!ctx_.tenant.empty())
        error.hint = fmt::format("sign in to the tenant: az login --tenant {}", ctx_.tenant);
      throw error;
    }
    const std::string detail = stderr_excerpt(result.err);
    throw Error(ErrorKind::auth, fmt::format("the Azure CLI failed (exit code {}){}{}", result.exit_code,
                                             detail.empty() ? "" : ": ", detail));
  }
  return parse_azure_cli_token(result.out);
}

}  // namespace xtsync::auth
