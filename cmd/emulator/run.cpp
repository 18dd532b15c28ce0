#include "run.hpp"

#include <CLI/CLI.hpp>

#include <chrono>
#include <memory>
#include <mutex>
#include <optional>
#include <ostream>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include "emulator/emulator.hpp"
#include "emulator/partner_schema.hpp"
#include "emulator/server.hpp"
#include "error.hpp"
#include "http/url.hpp"
#include "util/guid.hpp"
#include "util/strings.hpp"

namespace xtsync::emulator_cli {

namespace emu = xtsync::emulator;

namespace {

constexpr std::string_view k_program = "xtsync-emulator";

// Everything the command line says, before it is checked.
struct Settings {
  std::string host = "127.0.0.1";
  unsigned port = 0;
  std::string tls_cert;
  std::string tls_key;
  bool tls13_only = false;
  std::vector<std::string> tokens;
  std::vector<std::string> read_only_tokens;
  std::size_t page_size = 100;
  std::string state_file;
  std::vector<std::string> partners;
  bool quiet = false;
  std::size_t request_log_size = emu::k_default_request_log_size;
  std::vector<std::string> domains;
  unsigned long latency_ms = 0;
  std::string write_quota;
  std::string batch_order = "reversed";
  std::vector<std::string> client_secrets;
  std::vector<std::string> client_certs;
  std::vector<std::string> federated;
  emu::IdentityOptions identity;
  unsigned long token_lifetime = 3600;
  unsigned long device_interval = 5;
};

void add_options(CLI::App& app, Settings& s) {
  app.set_version_flag("--version", std::string(k_program) + " " + XTSYNC_VERSION);
  app.add_option("--host", s.host, "Loopback address to listen on (127.0.0.0/8, ::1, localhost)")
      ->capture_default_str();
  app.add_option("--port", s.port, "Port to listen on; 0 picks a free one")
      ->check(CLI::Range(0u, 65535u))
      ->capture_default_str();
  auto* cert =
      app.add_option("--tls-cert", s.tls_cert, "PEM certificate chain: serve HTTPS")->check(CLI::ExistingFile);
  auto* key = app.add_option("--tls-key", s.tls_key, "PEM private key for --tls-cert")->check(CLI::ExistingFile);
  cert->needs(key);
  key->needs(cert);
  app.add_flag("--tls13-only", s.tls13_only, "Accept TLS 1.3 only (with --tls-cert)")->needs(cert);
  app.add_option("--token", s.tokens,
                 "Bearer token accepted for reads and writes (repeatable; default emulator-token)");
  app.add_option("--read-only-token", s.read_only_tokens, "Bearer token accepted for GET only (repeatable)");
  app.add_option("--page-size", s.page_size, "Page size of the partner list and the deleted-items list")
      ->check(CLI::Range(std::size_t{1}, std::size_t{100000}))
      ->capture_default_str();
  app.add_option("--state", s.state_file, "JSON state file: loaded at start if present, saved after every change");
  app.add_option("--partner", s.partners, "Pre-create a partner configuration for this tenant id (repeatable)");
  app.add_flag("-q,--quiet", s.quiet, "Do not log requests to stderr");
  app.add_option("--request-log-size", s.request_log_size,
                 "How many recent requests /_emulator/requests keeps (0: none)")
      ->check(CLI::Range(std::size_t{0}, std::size_t{1000000}))
      ->capture_default_str();
  app.add_option("--domain", s.domains,
                 "NAME=TENANT: a domain findTenantInformationByDomainName resolves (repeatable)");
  app.add_option("--latency", s.latency_ms, "Milliseconds added to every Graph request (a batch is one)")
      ->check(CLI::Range(0ul, 600000ul))
      ->capture_default_str();
  app.add_option("--write-quota", s.write_quota,
                 "N/SECONDS: a token bucket over writes (each batch item counts); 429 when empty");
  app.add_option("--batch-order", s.batch_order, "Order of $batch item answers")
      ->check(CLI::IsMember({"sent", "reversed"}))
      ->capture_default_str();

  // The emulated identity platform and token providers.
  auto& identity = s.identity;
  app.add_option("--tenant-id", identity.tenants,
                 "A tenant (GUID or domain) the token endpoints know (repeatable; default: any)");
  app.add_option("--client-secret", s.client_secrets, "CLIENT_ID=SECRET: a confidential client (repeatable)");
  app.add_option("--client-cert", s.client_certs,
                 "CLIENT_ID=CERT_PEM_FILE: a client whose assertions this certificate verifies (repeatable)");
  app.add_option("--federated-credential", s.federated,
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
  app.add_option("--token-lifetime", s.token_lifetime, "Lifetime of issued access tokens, in seconds")
      ->check(CLI::Range(1ul, 864000ul))
      ->capture_default_str();
  app.add_option("--device-interval", s.device_interval, "interval of the device-code flow, in seconds (0 allowed)")
      ->check(CLI::Range(0ul, 3600ul))
      ->capture_default_str();
  app.add_option("--device-pending-polls", identity.device_pending_polls,
                 "authorization_pending answers before a device code is approved")
      ->check(CLI::Range(0, 1000000))
      ->capture_default_str();
}

// "CLIENT_ID=VALUE" → {CLIENT_ID, VALUE}; nullopt when either side is empty.
std::optional<std::pair<std::string, std::string>> split_assignment(const std::string& text) {
  const auto eq = text.find('=');
  if (eq == std::string::npos || eq == 0 || eq + 1 == text.size()) return std::nullopt;
  return std::pair{text.substr(0, eq), text.substr(eq + 1)};
}

// The checks CLI11 cannot make; throws Error(usage).
emu::EmulatorOptions emulator_options(Settings& s, std::ostream& err) {
  if (!http::is_loopback_host(s.host)) {
    throw usage_error("--host must be a loopback address (127.0.0.0/8, ::1 or localhost), not '" + s.host + "'");
  }
  auto& identity = s.identity;
  for (const auto& item : s.client_secrets) {
    const auto pair = split_assignment(item);
    if (!pair) throw usage_error("--client-secret needs CLIENT_ID=SECRET, not '" + item + "'");
    identity.client_secrets.push_back(*pair);
  }
  for (const auto& item : s.client_certs) {
    const auto pair = split_assignment(item);
    if (!pair) throw usage_error("--client-cert needs CLIENT_ID=CERT_PEM_FILE, not '" + item + "'");
    identity.client_certs.push_back(*pair);
  }
  for (const auto& item : s.federated) {
    const auto pair = split_assignment(item);
    const auto bar = pair ? pair->second.find('|') : std::string::npos;
    if (!pair || bar == std::string::npos || bar == 0 || bar + 1 == pair->second.size()) {
      throw usage_error("--federated-credential needs CLIENT_ID=ISSUER|SUBJECT, not '" + item + "'");
    }
    identity.federated_credentials.push_back(
        {pair->first, emu::FederatedCredential{pair->second.substr(0, bar), pair->second.substr(bar + 1)}});
  }
  identity.token_lifetime = std::chrono::seconds(s.token_lifetime);
  identity.device_interval = std::chrono::seconds(s.device_interval);

  emu::EmulatorOptions options;
  options.identity = identity;
  options.graph.tokens = s.tokens;
  options.graph.read_only_tokens = s.read_only_tokens;
  options.graph.page_size = s.page_size;
  for (const auto& item : s.domains) {
    const auto pair = split_assignment(item);
    const auto tenant = pair ? util::normalize_guid(pair->second) : std::nullopt;
    if (!pair || !tenant || pair->first.find_first_of("/'?# ") != std::string::npos) {
      throw usage_error("--domain needs NAME=TENANT with a domain name and a tenant id (GUID), not '" + item + "'");
    }
    options.graph.domains.emplace_back(util::to_lower(pair->first), *tenant);
  }
  if (!s.write_quota.empty()) {
    options.graph.write_quota = emu::parse_write_quota(s.write_quota);
    if (!options.graph.write_quota) {
      throw usage_error("--write-quota needs N/SECONDS with two positive whole numbers (e.g. 3000/150), not '" +
                        s.write_quota + "'");
    }
  }
  options.graph.batch_order = s.batch_order == "sent" ? emu::BatchOrder::sent : emu::BatchOrder::reversed;
  options.latency = std::chrono::milliseconds(s.latency_ms);
  options.request_log_size = s.request_log_size;
  if (!s.state_file.empty()) options.state_file = s.state_file;
  options.log = [&err](std::string_view line) { err << k_program << ": " << line << std::endl; };
  return options;
}

std::vector<std::string> partner_ids(const Settings& s) {
  std::vector<std::string> ids;
  for (const auto& partner : s.partners) {
    const auto id = util::normalize_guid(partner);
    if (!id) throw usage_error("--partner needs a tenant id (GUID), not '" + partner + "'");
    ids.push_back(*id);
  }
  return ids;
}

// What the stop function handed out reaches: the server while serve() runs, nothing after, so
// calling it late is harmless.
struct StopHandle {
  std::mutex mutex;
  emu::Server* server = nullptr;
};
struct ForgetOnExit {
  StopHandle& handle;
  ~ForgetOnExit() {
    const std::lock_guard lock(handle.mutex);
    handle.server = nullptr;
  }
};

void serve(Settings& s, EmulatorContext& ctx) {
  const auto partners = partner_ids(s);
  std::optional<emu::Emulator> loaded;
  try {
    loaded.emplace(emulator_options(s, ctx.err));
  } catch (const Error&) {
    throw;
  } catch (const std::exception& e) {
    throw usage_error(e.what());  // an unreadable --state or --client-cert file is bad input
  }
  emu::Emulator& emulator = *loaded;
  for (const auto& id : partners) {
    if (!emulator.state().partner(id)) emulator.state().put_partner(id, emu::new_partner(id));
  }
  emulator.persist();

  emu::ServerOptions options;
  options.host = s.host;
  options.port = static_cast<std::uint16_t>(s.port);
  options.tls_cert_file = s.tls_cert;
  options.tls_key_file = s.tls_key;
  options.tls13_only = s.tls13_only;
  options.log = s.quiet ? nullptr : &ctx.err;
  options.stop_signals = ctx.stop_signals;
  emu::Server server(emulator, options);

  // The first stdout line is the contract with whoever started us: where to connect.
  ctx.out << server.base_url() << std::endl;
  const auto handle = std::make_shared<StopHandle>();
  handle->server = &server;
  const ForgetOnExit forget{*handle};
  if (ctx.on_listening) {
    ctx.on_listening(server.base_url(), [handle] {
      const std::lock_guard lock(handle->mutex);
      if (handle->server) handle->server->stop();
    });
  }
  server.run();
}

}  // namespace

int run(int argc, const char* const* argv, EmulatorContext& ctx) {
  CLI::App app{"A local Microsoft Graph emulator for cross-tenant identity synchronization policies.",
               std::string(k_program)};
  Settings settings;
  add_options(app, settings);
  // The one place where failures become messages and exit codes.
  try {
    app.parse(argc, argv);
    serve(settings, ctx);
    return 0;
  } catch (const CLI::ParseError& e) {
    const int code = app.exit(e, ctx.out, ctx.err);  // prints --help, --version or the parse error
    return code == 0 ? 0 : exit_code(ErrorKind::usage);
  } catch (const Error& e) {
    ctx.err << k_program << ": " << e.what() << "\n";
    return exit_code(e.kind());
  } catch (const std::invalid_argument& e) {
    ctx.err << k_program << ": " << e.what() << "\n";  // a bad --host or TLS file, found by the server
    return exit_code(ErrorKind::usage);
  } catch (const std::exception& e) {
    ctx.err << k_program << ": " << e.what() << "\n";
    return exit_code(ErrorKind::failure);
  }
}

}  // namespace xtsync::emulator_cli
