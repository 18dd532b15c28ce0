// xtsync-emulator: serves the emulated Graph endpoints on loopback until SIGINT/SIGTERM.
#include <CLI/CLI.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/signal_set.hpp>
#include <csignal>
#include <iostream>
#include <chrono>
#include <optional>
#include <utility>
#include <string>
#include <vector>

#include "emulator/emulator.hpp"
#include "emulator/partner_schema.hpp"
#include "emulator/server.hpp"
#include "http/url.hpp"
#include "util/guid.hpp"

namespace emu = xtsync::emulator;

namespace {

constexpr int k_exit_usage = 2;
constexpr int k_exit_failure = 1;

int usage_error(const std::string& message) {
  std::cerr << "xtsync-emulator: " << message << "\n";
  return k_exit_usage;
}

// "CLIENT_ID=VALUE" → {CLIENT_ID, VALUE}; nullopt when either side is empty.
std::optional<std::pair<std::string, std::string>> split_assignment(const std::string& text) {
  const auto eq = text.find('=');
  if (eq == std::string::npos || eq == 0 || eq + 1 == text.size()) return std::nullopt;
  return std::pair{text.substr(0, eq), text.substr(eq + 1)};
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"A local Microsoft Graph emulator for cross-tenant identity synchronization policies.",
               "xtsync-emulator"};
  app.set_version_flag("--version", std::string("xtsync-emulator ") + XTSYNC_VERSION);

  std::string host = "127.0.0.1";
  unsigned port = 0;
  std::string tls_cert;
  std::string tls_key;
  std::vector<std::string> tokens;
  std::vector<std::string> read_only_tokens;
  std::size_t page_size = 100;
  std::string state_file;
  std::vector<std::string> partners;
  bool quiet = false;
  std::vector<std::string> client_secrets;
  std::vector<std::string> client_certs;
  std::vector<std::string> federated;
  emu::IdentityOptions identity;
  unsigned long token_lifetime = 3600;
  unsigned long device_interval = 5;

  app.add_option("--host", host, "Loopback address to listen on (127.0.0.0/8, ::1, localhost)")
      ->capture_default_str();
  app.add_option("--port", port, "Port to listen on; 0 picks a free one")
      ->check(CLI::Range(0u, 65535u))
      ->capture_default_str();
  auto* cert =
      app.add_option("--tls-cert", tls_cert, "PEM certificate chain: serve HTTPS")->check(CLI::ExistingFile);
  auto* key =
      app.add_option("--tls-key", tls_key, "PEM private key for --tls-cert")->check(CLI::ExistingFile);
  cert->needs(key);
  key->needs(cert);
  bool tls13_only = false;
  app.add_flag("--tls13-only", tls13_only, "Accept TLS 1.3 only (with --tls-cert)")->needs(cert);
  app.add_option("--token", tokens,
                 "Bearer token accepted for reads and writes (repeatable; default emulator-token)");
  app.add_option("--read-only-token", read_only_tokens, "Bearer token accepted for GET only (repeatable)");
  app.add_option("--page-size", page_size, "Page size of the deleted-items list")
      ->check(CLI::Range(std::size_t{1}, std::size_t{100000}))
      ->capture_default_str();
  app.add_option("--state", state_file,
                 "JSON state file: loaded at start if present, saved after every change");
  app.add_option("--partner", partners, "Pre-create a partner configuration for this tenant id (repeatable)");
  app.add_flag("-q,--quiet", quiet, "Do not log requests to stderr");

  // The emulated identity platform and token providers.
  app.add_option("--tenant-id", identity.tenants,
                 "A tenant (GUID or domain) the token endpoints know (repeatable; default: any)");
  app.add_option("--client-secret", client_secrets, "CLIENT_ID=SECRET: a confidential client (repeatable)");
  app.add_option("--client-cert", client_certs,
                 "CLIENT_ID=CERT_PEM_FILE: a client whose assertions this certificate verifies (repeatable)");
  app.add_option("--federated-credential", federated,
                 "CLIENT_ID=ISSUER|SUBJECT: a federated identity credential (repeatable)");
  app.add_option("--read-only-client", identity.read_only_clients,
                 "App tokens for this client get Policy.Read.All only (repeatable)");
  app.add_option("--public-client", identity.public_clients,
                 "A client allowed to use the device-code flow (repeatable; default: any)");
  app.add_option("--github-request-token", identity.github_request_token,
                 "Serve the GitHub Actions ID-token endpoint /_github/idtoken for this bearer token");
  app.add_option("--github-subject", identity.github_subject, "sub of the GitHub ID tokens")->capture_default_str();
  app.add_option("--identity-header", identity.identity_header,
                 "Serve the App Service managed-identity endpoint /_msi/token for this X-IDENTITY-HEADER");
  app.add_flag("--imds", identity.imds, "Serve the IMDS managed-identity endpoint /metadata/identity/oauth2/token");
  app.add_option("--managed-identity-client-id", identity.managed_identity_client_id,
                 "Client id of the managed identity")
      ->capture_default_str();
  app.add_option("--token-lifetime", token_lifetime, "Lifetime of issued access tokens, in seconds")
      ->check(CLI::Range(1ul, 864000ul))
      ->capture_default_str();
  app.add_option("--device-interval", device_interval, "interval of the device-code flow, in seconds (0 allowed)")
      ->check(CLI::Range(0ul, 3600ul))
      ->capture_default_str();
  app.add_option("--device-pending-polls", identity.device_pending_polls,
                 "authorization_pending answers before a device code is approved")
      ->check(CLI::Range(0, 1000000))
      ->capture_default_str();

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    const int code = app.exit(e);
    return code == 0 ? 0 : k_exit_usage;
  }

  if (!xtsync::http::is_loopback_host(host)) {
    return usage_error("--host must be a loopback address (127.0.0.0/8, ::1 or localhost), not '" + host +
                       "'");
  }
  std::vector<std::string> partner_ids;
  for (const auto& partner : partners) {
    const auto id = xtsync::util::normalize_guid(partner);
    if (!id) return usage_error("--partner needs a tenant id (GUID), not '" + partner + "'");
    partner_ids.push_back(*id);
  }

  for (const auto& item : client_secrets) {
    const auto pair = split_assignment(item);
    if (!pair) return usage_error("--client-secret needs CLIENT_ID=SECRET, not '" + item + "'");
    identity.client_secrets.push_back(*pair);
  }
  for (const auto& item : client_certs) {
    const auto pair = split_assignment(item);
    if (!pair) return usage_error("--client-cert needs CLIENT_ID=CERT_PEM_FILE, not '" + item + "'");
    identity.client_certs.push_back(*pair);
  }
  for (const auto& item : federated) {
    const auto pair = split_assignment(item);
    const auto bar = pair ? pair->second.find('|') : std::string::npos;
    if (!pair || bar == std::string::npos || bar == 0 || bar + 1 == pair->second.size()) {
      return usage_error("--federated-credential needs CLIENT_ID=ISSUER|SUBJECT, not '" + item + "'");
    }
    identity.federated_credentials.push_back(
        {pair->first, emu::FederatedCredential{pair->second.substr(0, bar), pair->second.substr(bar + 1)}});
  }
  identity.token_lifetime = std::chrono::seconds(token_lifetime);
  identity.device_interval = std::chrono::seconds(device_interval);

  emu::EmulatorOptions options;
  options.identity = identity;
  options.graph.tokens = tokens;
  options.graph.read_only_tokens = read_only_tokens;
  options.graph.page_size = page_size;
  if (!state_file.empty()) options.state_file = state_file;
  options.log = [](std::string_view line) { std::cerr << "xtsync-emulator: " << line << std::endl; };

  std::optional<emu::Emulator> loaded;
  try {
    loaded.emplace(options);
  } catch (const std::exception& e) {
    return usage_error(e.what());  // an unreadable --state or --client-cert file is bad input
  }
  emu::Emulator& emulator = *loaded;

  try {
    for (const auto& id : partner_ids) {
      if (!emulator.state().partner(id)) emulator.state().put_partner(id, emu::new_partner(id));
    }
    emulator.persist();

    boost::asio::io_context io;
    emu::ServerOptions server_options;
    server_options.host = host;
    server_options.port = static_cast<std::uint16_t>(port);
    server_options.tls_cert_file = tls_cert;
    server_options.tls_key_file = tls_key;
    server_options.tls13_only = tls13_only;
    server_options.log = quiet ? nullptr : &std::cerr;
    emu::Server server(io, emulator, server_options);

    // The first stdout line is the contract with whoever started us: where to connect.
    std::cout << server.base_url() << std::endl;

    boost::asio::signal_set signals(io, SIGINT, SIGTERM);
    signals.async_wait([&](const boost::system::error_code&, int) {
      server.stop();
      io.stop();
    });
    io.run();
    return 0;
  } catch (const std::invalid_argument& e) {
    return usage_error(e.what());
  } catch (const std::exception& e) {
    std::cerr << "xtsync-emulator: " << e.what() << "\n";
    return k_exit_failure;
  }
}
