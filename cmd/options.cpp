#include "options.hpp"

namespace xtsync::cli {

void fill_from_env(const CLI::Option* option, std::string& value, const Context& ctx,
                   const std::string& name) {
  if (option && option->count() > 0) return;
  if (auto env = ctx.getenv(name); env && !env->empty()) value = *env;
}

void add_global_options(CLI::App& app, GlobalOptions& options) {
  add_output_options(app, options);
  add_endpoint_options(app, options);
  add_network_options(app, options);
  add_signin_options(app, options);
}

void resolve_global_options(GlobalOptions& options, const Context& ctx) {
  resolve_output_options(options, ctx);
  resolve_endpoint_options(options, ctx);
  resolve_network_options(options, ctx);
  resolve_signin_options(options, ctx);
}

}  // namespace xtsync::cli
