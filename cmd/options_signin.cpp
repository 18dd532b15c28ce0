// --auth, --tenant, --client-id, --access-token-file, --client-secret-file, --certificate-algorithm.
#include "auth/credential_chain.hpp"
#include "options.hpp"

namespace xtsync::cli {

void add_signin_options(CLI::App& app, GlobalOptions& o) {
  app.add_option("--access-token-file", o.access_token_file, "Read the access token from FILE (- for stdin)");
  app.add_option("--auth", o.auth_method, "Force one credential source (default: the first that applies)")
      ->check(CLI::IsMember(auth::auth_methods()));
  o.tenant_opt = app.add_option("--tenant", o.tenant, "Tenant to sign in to [env AZURE_TENANT_ID]");
  o.client_id_opt =
      app.add_option("--client-id", o.client_id, "Application (client) ID [env AZURE_CLIENT_ID]");
  app.add_option("--client-secret-file", o.client_secret_file,
                 "Read the client secret from FILE (- for stdin)");
  app.add_option("--certificate-algorithm", o.certificate_algorithm,
                 "Client assertion signature: PS256 (default) or RS256")
      ->check(CLI::IsMember({"PS256", "RS256"}, CLI::ignore_case));
}

void resolve_signin_options(GlobalOptions& o, const Context& ctx) {
  fill_from_env(o.tenant_opt, o.tenant, ctx, "AZURE_TENANT_ID");
  fill_from_env(o.client_id_opt, o.client_id, ctx, "AZURE_CLIENT_ID");
}

}  // namespace xtsync::cli
