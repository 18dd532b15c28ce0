#include "emulator/identity_scopes.hpp"

#include <fmt/format.h>
#include <algorithm>

#include "emulator/identity_response.hpp"
#include "util/strings.hpp"

namespace xtsync::emulator {

namespace {

constexpr std::string_view k_default_suffix = "/.default";

std::vector<std::string> split_spaces(std::string_view text) {
  std::vector<std::string> out;
  std::size_t i = 0;
  while (i < text.size()) {
    const auto start = text.find_first_not_of(' ', i);
    if (start == std::string_view::npos) break;
    const auto end = std::min(text.find(' ', start), text.size());
    out.emplace_back(text.substr(start, end - start));
    i = end;
  }
  return out;
}

[[noreturn]] void invalid_scope(std::string_view scope) {
  throw IdentityError(400, "invalid_scope", 70011,
                      fmt::format("The provided value for the input parameter 'scope' is not valid. The scope {} is "
                                  "not valid.",
                                  scope));
}

bool is_oidc_scope(std::string_view scope) {
  return scope == "openid" || scope == "profile" || scope == "email" || scope == "offline_access";
}

}  // namespace

std::string app_scope_resource(std::string_view scope) {
  const auto scopes = split_spaces(scope);
  if (scopes.size() != 1 || !scopes[0].ends_with(k_default_suffix) || scopes[0].size() == k_default_suffix.size()) {
    invalid_scope(util::trim(scope));
  }
  return scopes[0].substr(0, scopes[0].size() - k_default_suffix.size());
}

DelegatedScopes parse_delegated_scopes(std::string_view scope, std::string_view default_permission) {
  const auto scopes = split_spaces(scope);
  if (scopes.empty()) invalid_scope(scope);
  DelegatedScopes out;
  for (const auto& item : scopes) {
    if (is_oidc_scope(item)) {
      if (std::find(out.oidc.begin(), out.oidc.end(), item) == out.oidc.end()) out.oidc.push_back(item);
      out.offline_access = out.offline_access || item == "offline_access";
      out.openid = out.openid || item == "openid";
      continue;
    }
    const auto slash = item.rfind('/');
    std::string resource = slash == std::string::npos ? std::string(k_graph_resource) : item.substr(0, slash);
    std::string permission = slash == std::string::npos ? item : item.substr(slash + 1);
    if (resource.empty() || permission.empty()) invalid_scope(item);
    if (!out.resource.empty() && out.resource != resource) {
      throw IdentityError(400, "invalid_scope", 28000,
                          fmt::format("Provided value for the input parameter scope is not valid because it "
                                      "contains more than one resource. Scope {} is not valid.",
                                      util::trim(scope)));
    }
    out.resource = std::move(resource);
    if (permission == ".default") permission = default_permission;
    if (std::find(out.permissions.begin(), out.permissions.end(), permission) == out.permissions.end()) {
      out.permissions.push_back(std::move(permission));
    }
  }
  // Only OpenID Connect scopes: the token is for Graph, as Entra ID does.
  if (out.resource.empty()) out.resource = k_graph_resource;
  return out;
}

std::string DelegatedScopes::response_scope() const {
  std::vector<std::string> parts;
  for (const auto& p : permissions) parts.push_back(fmt::format("{}/{}", resource, p));
  parts.insert(parts.end(), oidc.begin(), oidc.end());
  return fmt::format("{}", fmt::join(parts, " "));
}

std::string DelegatedScopes::scp() const {
  std::vector<std::string> parts = permissions;
  for (const auto& o : oidc) {
    if (o != "offline_access") parts.push_back(o);
  }
  return fmt::format("{}", fmt::join(parts, " "));
}

}  // namespace xtsync::emulator
