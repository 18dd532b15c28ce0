// -o, --debug, -q, --no-color.
#include "options.hpp"

namespace xtsync::cli {

void add_output_options(CLI::App& app, GlobalOptions& o) {
  o.output_opt =
      app.add_option("-o,--output", o.output, "Output format: table, json or tsv [env XTSYNC_OUTPUT]")
          ->check(CLI::IsMember({"table", "json", "tsv"}));
  app.add_flag("--debug", o.debug, "Print every HTTP exchange on stderr, secrets redacted");
  app.add_flag("-q,--quiet", o.quiet, "Print only errors on stderr");
  app.add_flag("--no-color", o.no_color, "Do not color messages [env NO_COLOR]");
}

void resolve_output_options(GlobalOptions& o, const Context& ctx) {
  fill_from_env(o.output_opt, o.output, ctx, "XTSYNC_OUTPUT");
  if (auto no_color = ctx.getenv("NO_COLOR"); no_color && !no_color->empty()) o.no_color = true;
  o.format = render::parse_format(o.output);
}

}  // namespace xtsync::cli
