#include "api/auth_status.hpp"

#include <boost/json.hpp>

#include "auth/jwt.hpp"

namespace xtsync::api {

namespace json = boost::json;

namespace {

std::string claim(const std::optional<json::object>& claims, std::initializer_list<const char*> names) {
  if (!claims) return {};
  for (const char* name : names) {
    if (const auto* v = claims->if_contains(name); v && v->is_string()) return std::string(v->get_string());
  }
  return {};
}

std::vector<std::string> list_claim(const std::optional<json::object>& claims, const char* name) {
  std::vector<std::string> out;
  if (!claims) return out;
  const auto* v = claims->if_contains(name);
  if (!v) return out;
  if (v->is_array()) {
    for (const auto& item : v->get_array()) {
      if (item.is_string()) out.emplace_back(item.get_string());
    }
  } else if (v->is_string()) {  // "scp" is one space-separated string
    std::string_view rest = v->get_string();
    while (!rest.empty()) {
      const auto space = rest.find(' ');
      if (space != 0) out.emplace_back(rest.substr(0, space));
      if (space == std::string_view::npos) break;
      rest.remove_prefix(space + 1);
    }
  }
  return out;
}

}  // namespace

AuthStatus read_auth_status(auth::ResolvedCredentials& credentials, const auth::AuthContext& context) {
  const std::string token = credentials.source->access_token();
  const auto claims = auth::decode_claims(token);

  AuthStatus status;
  status.source = credentials.method;
  status.reason = credentials.reason;
  status.cloud = context.cloud.name;
  status.authority = context.cloud.authority_host;
  status.tenant = claim(claims, {"tid"});
  if (status.tenant.empty()) status.tenant = context.tenant;
  status.client_id = claim(claims, {"appid", "azp"});
  if (status.client_id.empty()) status.client_id = context.client_id;
  status.audience = claim(claims, {"aud"});
  if (claims) {
    if (const auto* exp = claims->if_contains("exp"); exp && exp->is_number()) {
      status.expires_on =
          std::chrono::system_clock::from_time_t(static_cast<std::time_t>(exp->to_number<double>()));
    }
  }
  status.roles = list_claim(claims, "roles");
  status.scopes = list_claim(claims, "scp");
  return status;
}

}  // namespace xtsync::api
