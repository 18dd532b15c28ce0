#include "render/policy_view.hpp"

#include <algorithm>
#include <boost/json.hpp>
#include <utility>

#include "error.hpp"
#include "render/json_pretty.hpp"
#include "render/table.hpp"

namespace xtsync::render {

namespace {

// Table cells say allowed/blocked; TSV cells stay machine-friendly (true/false/empty).
std::string sync_cell(const graph::Property<graph::InboundSync>& setting, Format format) {
  const auto allowed = graph::sync_allowed(setting);
  if (!allowed) return format == Format::table ? "-" : "";
  if (format == Format::table) return *allowed ? "allowed" : "blocked";
  return *allowed ? "true" : "false";
}

std::string text_cell(const graph::Property<std::string>& p, Format format) {
  if (p.value && !p.value->empty()) return *p.value;
  return format == Format::table ? "-" : "";
}

Row header(bool with_deleted) {
  Row h{"TENANT ID", "DISPLAY NAME", "USER SYNC", "GROUP SYNC"};
  if (with_deleted) h.emplace_back("DELETED");
  return h;
}

// Lists give way in the display name, never in the tenant ID; on a narrow terminal the
// headers shorten to make room for it.
TableStyle fitted(TableStyle style, bool with_deleted) {
  style.shrink_column = 1;
  style.short_header = {"TENANT ID", "NAME", "USER", "GROUP"};
  if (with_deleted) style.short_header.emplace_back("DELETED");
  return style;
}

// In a key/value table only the display name and unknown properties may be cut; IDs, states
// and times stay whole.
bool keeps_value_whole(const Row& row) {
  static constexpr std::string_view whole[] = {"TENANT ID", "USER SYNC", "GROUP SYNC", "EXTERNAL CLOUD APP ID",
                                               "DELETED",   "OUTCOME",   "PARTNER CREATED"};
  return !row.empty() && std::find(std::begin(whole), std::end(whole), row[0]) != std::end(whole);
}

Row row(const graph::Policy& p, Format format, bool with_deleted) {
  Row r{text_cell(p.tenant_id, format), text_cell(p.display_name, format), sync_cell(p.user_sync_inbound, format),
        sync_cell(p.group_sync_inbound, format)};
  if (with_deleted) r.push_back(text_cell(p.deleted_date_time, format));
  return r;
}

}  // namespace

Format parse_format(const std::string& name) {
  if (name == "table") return Format::table;
  if (name == "json") return Format::json;
  if (name == "tsv") return Format::tsv;
  throw usage_error("unknown output format '" + name + "' (use table, json or tsv)");
}

std::string policies(const std::vector<graph::Policy>& items, Format format, bool with_deleted,
                     const TableStyle& style) {
  if (format == Format::json) return pretty_json(boost::json::value_from(items));
  std::vector<Row> rows;
  rows.reserve(items.size());
  for (const auto& p : items) rows.push_back(row(p, format, with_deleted));
  if (format == Format::tsv) return tsv(rows);
  return table(header(with_deleted), std::move(rows), fitted(style, with_deleted));
}

namespace {

// One object as PROPERTY/VALUE rows, unknown properties too, after any `leading` rows.
std::string property_table(const graph::Policy& item, bool with_deleted, const TableStyle& style,
                           std::vector<Row> rows) {
  const Format format = Format::table;
  rows.insert(rows.end(), {
                              {"TENANT ID", text_cell(item.tenant_id, format)},
                              {"DISPLAY NAME", text_cell(item.display_name, format)},
                              {"USER SYNC", sync_cell(item.user_sync_inbound, format)},
                              {"GROUP SYNC", sync_cell(item.group_sync_inbound, format)},
                              {"EXTERNAL CLOUD APP ID", text_cell(item.external_cloud_authorized_application_id, format)},
                          });
  if (with_deleted || item.deleted_date_time.value) rows.push_back({"DELETED", text_cell(item.deleted_date_time, format)});
  for (const auto& [key, value] : item.extra) {
    rows.push_back({std::string(key), value.is_string() ? std::string(value.get_string()) : boost::json::serialize(value)});
  }
  TableStyle kv = style;
  kv.shrink_column = 1;
  kv.keep_whole = keeps_value_whole;
  return table({"PROPERTY", "VALUE"}, std::move(rows), kv);
}

}  // namespace

std::string policy(const graph::Policy& item, Format format, bool with_deleted, const TableStyle& style) {
  if (format == Format::json) return pretty_json(boost::json::value_from(item));
  if (format == Format::tsv) return tsv({row(item, format, with_deleted)});
  return property_table(item, with_deleted, style, {});
}

std::string policy_outcome(const Outcome& outcome, const graph::Policy& item, Format format, const TableStyle& style) {
  if (format == Format::json) {
    boost::json::array changed;
    for (const auto& name : outcome.changed) changed.emplace_back(name);
    return pretty_json(boost::json::object{{"outcome", outcome.outcome},
                                           {"changed", std::move(changed)},
                                           {"partnerCreated", outcome.partner_created},
                                           {"policy", boost::json::value_from(item)}});
  }
  std::string changed;
  for (const auto& name : outcome.changed) changed.append(changed.empty() ? "" : ",").append(name);
  if (format == Format::tsv) {
    Row cells{outcome.outcome, changed, outcome.partner_created ? "true" : "false"};
    for (auto& cell : row(item, format, false)) cells.push_back(std::move(cell));
    return tsv({cells});
  }
  return property_table(item, false, style,
                        {{"OUTCOME", outcome.outcome},
                         {"CHANGED", changed.empty() ? "-" : changed},
                         {"PARTNER CREATED", outcome.partner_created ? "yes" : "no"}});
}

std::string PolicyListWriter::add(const graph::Policy& item) {
  ++count_;
  if (format_ == Format::json) return json_.item(boost::json::value_from(item));
  auto cells = row(item, format_, with_deleted_);
  if (format_ == Format::tsv) return tsv({cells});
  rows_.push_back(std::move(cells));
  return {};
}

std::string PolicyListWriter::finish() {
  if (format_ == Format::json) return json_.end();
  if (format_ == Format::tsv || count_ == 0) return {};
  return table(header(with_deleted_), std::exchange(rows_, {}), fitted(style_, with_deleted_));
}

}  // namespace xtsync::render
