// --ca-file, --timeout, --max-retries.
#include "error.hpp"
#include "invocation.hpp"
#include "options.hpp"

namespace xtsync::cli {

void add_network_options(CLI::App& app, GlobalOptions& o) {
  o.ca_file_opt = app.add_option("--ca-file", o.ca_file, "Extra trusted CA bundle (PEM) [env SSL_CERT_FILE]");
  app.add_option("--timeout", o.timeout_seconds, "Per-request timeout in seconds (default 60)")
      ->type_name("SECONDS")
      ->check(number_between(0.1, 3600.0));
  app.add_option("--max-retries", o.max_retries, "Retries of throttled or transient failures (default 4)")
      ->check(whole_number_between(0, 10));
}

void resolve_network_options(GlobalOptions& o, const Context& ctx) {
  // --timeout is range-checked (NaN and infinities included) by its validator, number_between.
  fill_from_env(o.ca_file_opt, o.ca_file, ctx, "SSL_CERT_FILE");
}

}  // namespace xtsync::cli
