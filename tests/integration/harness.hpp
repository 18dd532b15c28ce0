// Runs the real xtsync binary against a real emulator, the way a pipeline would.
#pragma once

#include <doctest/doctest.h>

#include <boost/json.hpp>
#include <string>
#include <vector>

#include "auth/jwt.hpp"
#include "support/emulator.hpp"
#include "support/process.hpp"
#include "util/base64.hpp"

namespace xtsync::testing {

inline const std::string kTenant = "9c5d131d-b1c3-4fc4-9e3f-c6557947d551";
inline const std::string kOtherTenant = "01d0e717-bc90-46ba-94a9-71b4a811fddb";

// xtsync with the emulator as Graph root and its default token, unless `options` says otherwise.
inline ProcessResult run_cli(Emulator& emulator, std::vector<std::string> args, ProcessOptions options = {}) {
  options.args = std::move(args);
  options.env.try_emplace("XTSYNC_GRAPH_URL", emulator.url());
  options.env.try_emplace("XTSYNC_ACCESS_TOKEN", kEmulatorToken);
  // No login cached by another test or by the user running the suite.
  options.env.try_emplace("XDG_STATE_HOME", "/nonexistent/xtsync-test-state");
  const std::string token = options.env["XTSYNC_ACCESS_TOKEN"];
  auto result = run_process(XTSYNC_BIN, options);
  INFO("xtsync stderr: " << result.err);
  // Every run of the whole suite doubles as a canary check: the access token it was given
  // (and its base64 forms) must appear in no output, --debug logs included.
  if (token.size() >= 8) {
    for (const auto& form :
         {token, xtsync::util::base64_encode(token), xtsync::util::base64url_encode(token)}) {
      CHECK_MESSAGE(result.out.find(form) == std::string::npos, "stdout shows the access token");
      CHECK_MESSAGE(result.err.find(form) == std::string::npos, "stderr shows the access token");
    }
  }
  return result;
}

// The Graph requests the emulator saw, as "METHOD target" lines.
inline std::vector<std::string> request_lines(Emulator& emulator) {
  std::vector<std::string> lines;
  for (const auto& r : emulator.requests()) {
    lines.push_back(std::string(r.at("method").as_string()) + " " + std::string(r.at("target").as_string()));
  }
  return lines;
}

// Options that feed `text` to the child's stdin.
inline ProcessOptions stdin_of(std::string text) {
  ProcessOptions options;
  options.stdin_data = std::move(text);
  return options;
}

// A tenant ID made from a number: 00000000-0000-4000-8000-000000000042 for 42.
inline std::string fmt_tenant(int n) {
  std::string digits = std::to_string(n);
  std::string id = "00000000-0000-4000-8000-";
  id.append(12 - digits.size(), '0').append(digits);
  return id;
}

inline std::string policy_path(const std::string& tenant, const std::string& version = "beta") {
  std::string path = "/";  // appended: GCC 12 warns falsely on a chain of + here
  path.append(version).append("/policies/crossTenantAccessPolicy/partners/").append(tenant).append("/identitySynchronization");
  return path;
}

inline std::string deleted_path(const std::string& tenant = {}) {
  return "/beta/policies/deletedItems/crossTenantSyncPolicyPartners" + (tenant.empty() ? "" : "/" + tenant);
}

}  // namespace xtsync::testing
