// xtsync export: every sync policy in the apply file format, sorted by tenant ID.
#include <fmt/chrono.h>
#include <fmt/format.h>

#include <algorithm>
#include <chrono>

#include "api/apply_file.hpp"
#include "api/auth_status.hpp"
#include "commands.hpp"
#include "help.hpp"

namespace xtsync::cli {

namespace {

// The tenant the export came from, as the token says; empty when it does not say.
std::string signed_in_tenant(Runtime& rt) {
  try {
    return api::read_auth_status(rt.session().credentials(), rt.session().auth_context()).tenant;
  } catch (const Error&) {
    return {};
  }
}

void run_export(Runtime& rt) {
  if (rt.globals.format == render::Format::tsv) throw usage_error("export writes YAML (default) or JSON (-o json), not TSV");
  const auto format = rt.globals.format == render::Format::json ? api::FileFormat::json : api::FileFormat::yaml;
  std::vector<api::ApplyEntry> entries;
  rt.client().for_each_partner([&](graph::PartnerEntry&& partner) {
    if (!partner.policy) return;
    api::ApplyEntry entry;
    entry.tenant = partner.tenant_id;
    entry.desired = std::move(*partner.policy);
    entries.push_back(std::move(entry));
  });
  api::ExportHeader header;
  header.exported_at = fmt::format("{:%Y-%m-%dT%H:%M:%SZ}", fmt::gmtime(std::chrono::system_clock::to_time_t(
                                                                std::chrono::system_clock::now())));
  header.tenant = signed_in_tenant(rt);
  header.api_version = std::string(graph::path_segment(rt.globals.version));
  header.graph_root = rt.globals.graph_url;
  rt.data(api::write_apply_file(std::move(entries), format, header, rt.globals.version));
}

}  // namespace

Command setup_export(CLI::App& app) {
  auto* sub = app.add_subcommand("export", "Print every sync policy in the apply file format (YAML, or -o json)");
  set_examples(*sub, {"xtsync export > partners.yaml", "xtsync export -o json"});
  return {sub, [](Runtime& rt) { run_export(rt); }};
}

}  // namespace xtsync::cli
