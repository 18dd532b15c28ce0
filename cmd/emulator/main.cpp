// xtsync-emulator: serves the emulated Graph endpoints on loopback until SIGINT/SIGTERM.
#include <CLI/CLI.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/signal_set.hpp>
#include <csignal>
#include <iostream>
#include <optional>
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

  emu::EmulatorOptions options;
  options.graph.tokens = tokens;
  options.graph.read_only_tokens = read_only_tokens;
  options.graph.page_size = page_size;
  if (!state_file.empty()) options.state_file = state_file;
  options.log = [](std::string_view line) { std::cerr << "xtsync-emulator: " << line << std::endl; };

  std::optional<emu::Emulator> loaded;
  try {
    loaded.emplace(options);
  } catch (const std::exception& e) {
    return usage_error(e.what());  // an unreadable --state file is bad input
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
