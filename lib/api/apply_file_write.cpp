// `export`: entries written in the apply file format, YAML or JSON.
#include <algorithm>
#include <cstdio>
#include <optional>

#include "api/apply_file.hpp"
#include "error.hpp"
#include "util/strings.hpp"
#include "util/terminal_text.hpp"

namespace xtsync::api {

namespace {

// One value of the format: a string (always double-quoted), null, or a keyword (allow, block,
// absent: bare in YAML, quoted in JSON).
struct Value {
  enum class Kind { string, null, word } kind = Kind::null;
  std::string text;
};

struct Line {
  std::string_view key;
  Value value;
};

void append_unicode_escape(std::string& out, unsigned code) {
  char buf[7];
  std::snprintf(buf, sizeof buf, "\\u%04x", code);
  out += buf;
}

// JSON string syntax, which is YAML's double-quoted style as well. Besides what JSON requires,
// escapes what YAML does not take raw or reads as a line break: DEL, C1 controls (NEL among
// them), U+2028/U+2029 and U+FEFF. Other non-ASCII stays raw UTF-8: yaml-cpp cannot read JSON's
// surrogate-pair escapes back.
std::string quoted(std::string_view text, std::string_view what) {
  if (!util::is_valid_utf8(text)) throw Error(ErrorKind::failure, std::string(what) + " is not valid UTF-8");
  std::string out = "\"";
  for (std::size_t i = 0; i < text.size(); ++i) {
    const auto c = static_cast<unsigned char>(text[i]);
    const auto next = i + 1 < text.size() ? static_cast<unsigned char>(text[i + 1]) : 0;
    const auto third = i + 2 < text.size() ? static_cast<unsigned char>(text[i + 2]) : 0;
    switch (c) {
      case '"': out += "\\\""; continue;
      case '\\': out += "\\\\"; continue;
      case '\b': out += "\\b"; continue;
      case '\f': out += "\\f"; continue;
      case '\n': out += "\\n"; continue;
      case '\r': out += "\\r"; continue;
      case '\t': out += "\\t"; continue;
      default: break;
    }
    if (c < 0x20 || c == 0x7F) {
      append_unicode_escape(out, c);
    } else if (c == 0xC2 && next >= 0x80 && next <= 0x9F) {  // U+0080..U+009F
      append_unicode_escape(out, next);
      i += 1;
    } else if (c == 0xE2 && next == 0x80 && (third == 0xA8 || third == 0xA9)) {  // U+2028, U+2029
      append_unicode_escape(out, 0x2000u + third - 0x80u);
      i += 2;
    } else if (c == 0xEF && next == 0xBB && third == 0xBF) {  // U+FEFF
      append_unicode_escape(out, 0xFEFF);
      i += 2;
    } else {
      out += static_cast<char>(c);
    }
  }
  return out + "\"";
}

std::optional<Value> string_value(const graph::Property<std::string>& p, std::string_view what) {
  if (!p.present) return std::nullopt;
  if (!p.has_value()) return Value{};
  return Value{Value::Kind::string, quoted(*p.value, what)};
}

// A setting that is absent or null, or whose flag is absent, is not managed. A null flag is
// written as null where the format allows it (userSync), else left out.
std::optional<Value> sync_value(const graph::Property<graph::InboundSync>& p, bool nullable) {
  if (!p.has_value() || !p.value->is_sync_allowed.present) return std::nullopt;
  const auto& flag = p.value->is_sync_allowed;
  if (!flag.has_value()) return nullable ? std::optional(Value{}) : std::nullopt;
  return Value{Value::Kind::word, *flag.value ? "allow" : "block"};
}

// The lines of one entry, in the format's key order.
std::vector<Line> lines_of(const ApplyEntry& entry, graph::ApiVersion version) {
  std::vector<Line> lines;
  lines.push_back({"tenant", {Value::Kind::string, quoted(entry.tenant, "a tenant ID")}});
  if (entry.state == DesiredState::absent) {
    lines.push_back({"state", {Value::Kind::word, "absent"}});
    return lines;
  }
  const auto& p = entry.desired;
  const std::string what = "a property of tenant " + util::escape_controls(entry.tenant);
  auto add = [&](std::string_view key, std::optional<Value> value) {
    if (value) lines.push_back({key, std::move(*value)});
  };
  add("displayName", string_value(p.display_name, what));
  add("userSync", sync_value(p.user_sync_inbound, true));
  if (version == graph::ApiVersion::beta) {
    add("groupSync", sync_value(p.group_sync_inbound, false));
    add("externalCloudAppId", string_value(p.external_cloud_authorized_application_id, what));
  }
  return lines;
}

std::string yaml_text(const Value& v) { return v.kind == Value::Kind::null ? "null" : v.text; }

std::string json_text(const Value& v) {
  if (v.kind == Value::Kind::word) return "\"" + v.text + "\"";
  return yaml_text(v);
}

// One comment line; the header's fields come from the environment and Graph, so any control
// character (a newline would end the comment) is escaped.
std::string header_comment(const ExportHeader& header, graph::ApiVersion version) {
  std::string line = "# exported by xtsync " XTSYNC_VERSION;
  if (!header.exported_at.empty()) line += " at " + header.exported_at;
  if (!header.tenant.empty()) line += " from tenant " + header.tenant;
  line += " (Graph " + (header.api_version.empty() ? std::string(graph::path_segment(version)) : header.api_version);
  if (!header.graph_root.empty()) line += ", " + header.graph_root;
  line += ")";
  return util::escape_controls(line) + "\n";
}

std::string write_yaml(const std::vector<std::vector<Line>>& entries, const ExportHeader& header,
                       graph::ApiVersion version) {
  std::string out = header_comment(header, version) + "version: 1\n";
  if (entries.empty()) return out + "partners: []\n";
  out += "partners:\n";
  for (const auto& lines : entries) {
    bool first = true;
    for (const auto& [key, value] : lines) {
      out += first ? "  - " : "    ";
      out += std::string(key) + ": " + yaml_text(value) + "\n";
      first = false;
    }
  }
  return out;
}

std::string write_json(const std::vector<std::vector<Line>>& entries) {
  std::string out = "{\n  \"version\": 1,\n";
  if (entries.empty()) return out + "  \"partners\": []\n}\n";
  out += "  \"partners\": [\n";
  for (std::size_t i = 0; i < entries.size(); ++i) {
    out += "    {\n";
    const auto& lines = entries[i];
    for (std::size_t j = 0; j < lines.size(); ++j) {
      out += "      \"" + std::string(lines[j].key) + "\": " + json_text(lines[j].value);
      out += j + 1 < lines.size() ? ",\n" : "\n";
    }
    out += i + 1 < entries.size() ? "    },\n" : "    }\n";
  }
  return out + "  ]\n}\n";
}

}  // namespace

std::string write_apply_file(std::vector<ApplyEntry> entries, FileFormat format, const ExportHeader& header,
                             graph::ApiVersion version) {
  std::stable_sort(entries.begin(), entries.end(),
                   [](const ApplyEntry& a, const ApplyEntry& b) { return a.tenant < b.tenant; });
  std::vector<std::vector<Line>> lines;
  lines.reserve(entries.size());
  for (const auto& entry : entries) lines.push_back(lines_of(entry, version));
  return format == FileFormat::yaml ? write_yaml(lines, header, version) : write_json(lines);
}

}  // namespace xtsync::api
