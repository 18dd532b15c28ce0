#include "api/apply_file.hpp"

#include <algorithm>
#include <array>
#include <map>
#include <optional>
#include <span>

#include "api/apply_file_load.hpp"
#include "util/guid.hpp"
#include "util/strings.hpp"

namespace xtsync::api {

using namespace apply_file_detail;

namespace {

constexpr std::array<std::string_view, 2> k_top_keys = {"version", "partners"};
constexpr std::array<std::string_view, 6> k_entry_keys = {"tenant",    "displayName",        "userSync",
                                                         "groupSync", "externalCloudAppId", "state"};
// Graph's own names, which people copy from `get -o json`.
constexpr std::array<std::pair<std::string_view, std::string_view>, 5> k_graph_names = {{
    {"tenantId", "tenant"},
    {"userSyncInbound", "userSync"},
    {"groupSyncInbound", "groupSync"},
    {"externalCloudAuthorizedApplicationId", "externalCloudAppId"},
    {"partner", "partners"},
}};
constexpr std::size_t k_domain_max = 253;
constexpr std::size_t k_label_max = 63;

const std::string k_tag_str = "tag:yaml.org,2002:str";
const std::string k_tag_null = "tag:yaml.org,2002:null";

struct Context {
  const std::string& file;
  graph::ApiVersion version;
};

struct Field {
  std::string key;
  int line = 0;
  YAML::Node value;
};

std::string joined(std::span<const std::string_view> words) {
  std::string out;
  for (const auto word : words) out += (out.empty() ? "" : ", ") + std::string(word);
  return out;
}

std::string describe(const YAML::Node& node) {
  switch (node.Type()) {
    case YAML::NodeType::Map: return "a mapping";
    case YAML::NodeType::Sequence: return "a sequence";
    case YAML::NodeType::Scalar: return shown(node.Scalar());
    default: return "null";
  }
}

bool is_null(const YAML::Node& node) {
  return node.IsNull() || (node.IsScalar() && node.Tag() == k_tag_null);
}

// A scalar's text, or nullopt for null. YAML scalars are untyped: `displayName: 2024` is the
// text "2024"; only the null forms (null, ~, nothing) and !!null mean null.
std::optional<std::string> text_or_null(const Context& ctx, const Field& field, std::string_view wanted) {
  const YAML::Node& node = field.value;
  if (is_null(node)) return std::nullopt;
  if (!node.IsScalar()) fail(ctx.file, field.line, field.key, "must be " + std::string(wanted) + ", not " + describe(node));
  const std::string& tag = node.Tag();
  if (tag != "?" && tag != "!" && tag != k_tag_str) {
    fail(ctx.file, field.line, field.key, "the tag '" + tag + "' is not supported; write the value plain or quoted");
  }
  if (!util::is_valid_utf8(node.Scalar())) fail(ctx.file, field.line, field.key, "the value is not valid UTF-8");
  return node.Scalar();
}

std::string text_of(const Context& ctx, const Field& field, std::string_view wanted) {
  auto text = text_or_null(ctx, field, wanted);
  if (!text) fail(ctx.file, field.line, field.key, "must be " + std::string(wanted) + ", not null");
  return *text;
}

std::string unknown_key(std::string_view key, std::span<const std::string_view> known, std::string_view where) {
  std::string why = "unknown in " + std::string(where) + " (known: " + joined(known) + ")";
  for (const auto name : known) {
    if (util::iequals(key, name)) return why + "; did you mean '" + std::string(name) + "'?";
  }
  for (const auto& [graph_name, name] : k_graph_names) {
    if (key == graph_name && std::find(known.begin(), known.end(), name) != known.end()) {
      return why + "; the file calls it '" + std::string(name) + "'";
    }
  }
  return why;
}

// The keys of a mapping in file order, each known and given once. yaml-cpp keeps both pairs of
// a repeated key, so the walk over its keys is where a repeat shows.
std::vector<Field> fields_of(const Context& ctx, const YAML::Node& map, std::span<const std::string_view> known,
                             std::string_view where) {
  std::vector<Field> fields;
  for (const auto& pair : map) {
    const YAML::Node& key = pair.first;
    const int line = line_of(key) ? line_of(key) : line_of(map);
    if (!key.IsScalar() || is_null(key)) fail(ctx.file, line, "", "a key in " + std::string(where) + " is " + describe(key) + "; keys are names");
    const std::string& name = key.Scalar();
    if (std::find(known.begin(), known.end(), name) == known.end()) {
      fail(ctx.file, line, name, unknown_key(name, known, where));
    }
    for (const auto& earlier : fields) {
      if (earlier.key == name) {
        fail(ctx.file, line, name,
             "given twice in " + std::string(where) + " (lines " + std::to_string(earlier.line) + " and " +
                 std::to_string(line) + ")");
      }
    }
    fields.push_back({name, line, pair.second});
  }
  return fields;
}

const Field* find_field(const std::vector<Field>& fields, std::string_view key) {
  const auto it = std::find_if(fields.begin(), fields.end(), [&](const Field& f) { return f.key == key; });
  return it == fields.end() ? nullptr : &*it;
}

bool is_domain_name(std::string_view name) {
  if (name.empty() || name.size() > k_domain_max) return false;
  std::size_t labels = 0;
  std::string_view last;
  for (std::size_t start = 0; start <= name.size();) {
    auto end = name.find('.', start);
    if (end == std::string_view::npos) end = name.size();
    const auto label = name.substr(start, end - start);
    if (label.empty() || label.size() > k_label_max || label.front() == '-' || label.back() == '-') return false;
    for (const char c : label) {
      const bool alnum = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
      if (!alnum && c != '-') return false;
    }
    ++labels;
    last = label;
    start = end + 1;
  }
  // An all-digit top-level label is an IP address, not a domain.
  const bool numeric_tld = std::all_of(last.begin(), last.end(), [](char c) { return c >= '0' && c <= '9'; });
  return labels >= 2 && !numeric_tld;
}

std::string parse_tenant(const Context& ctx, const Field& field) {
  const std::string text = text_of(ctx, field, "a tenant ID or domain name");
  if (text.empty()) fail(ctx.file, field.line, field.key, "is empty; give the partner's tenant ID or a domain name");
  if (auto guid = util::normalize_guid(text)) return *guid;
  if (is_domain_name(text)) return util::to_lower(text);
  fail(ctx.file, field.line, field.key,
       shown(text) + " is neither a tenant ID (a GUID) nor a domain name such as contoso.com");
}

// allow | block, and null where Graph's flag is nullable.
graph::Property<graph::InboundSync> parse_sync(const Context& ctx, const Field& field, bool nullable) {
  const std::string wanted = nullable ? "allow, block or null" : "allow or block";
  const auto text = nullable ? text_or_null(ctx, field, wanted) : std::optional(text_of(ctx, field, wanted));
  graph::InboundSync sync;
  if (!text) {
    sync.is_sync_allowed = graph::Property<bool>::null();
  } else if (*text == "allow" || *text == "block") {
    sync.is_sync_allowed = graph::Property<bool>::of(*text == "allow");
  } else {
    fail(ctx.file, field.line, field.key, "must be " + wanted + ", not " + describe(field.value));
  }
  return graph::Property<graph::InboundSync>::of(std::move(sync));
}

graph::Property<std::string> parse_string_or_null(const Context& ctx, const Field& field) {
  auto text = text_or_null(ctx, field, "a string or null");
  return text ? graph::Property<std::string>::of(std::move(*text)) : graph::Property<std::string>::null();
}

DesiredState parse_state(const Context& ctx, const Field& field) {
  const std::string text = text_of(ctx, field, "present or absent");
  if (text == "present") return DesiredState::present;
  if (text == "absent") return DesiredState::absent;
  fail(ctx.file, field.line, field.key, "must be present or absent, not " + describe(field.value));
}

ApplyEntry parse_entry(const Context& ctx, const YAML::Node& node, std::size_t index, int partners_line) {
  const std::string which = "entry " + std::to_string(index + 1) + " of partners";
  if (!node.IsMap()) {
    fail(ctx.file, line_of(node) ? line_of(node) : partners_line, "partners",
         which + " must be a mapping with at least 'tenant', not " + describe(node));
  }
  ApplyEntry entry;
  const Field* first_property = nullptr;
  const auto fields = fields_of(ctx, node, k_entry_keys, "a partner entry");
  for (const Field& field : fields) {
    const bool beta_only = field.key == "groupSync" || field.key == "externalCloudAppId";
    if (beta_only && ctx.version != graph::ApiVersion::beta) {
      fail(ctx.file, field.line, field.key, "exists in Graph beta only; use --api-version beta or remove it");
    }
    if (field.key == "tenant") {
      entry.tenant = parse_tenant(ctx, field);
      entry.line = field.line;
      continue;
    }
    if (field.key == "state") {
      entry.state = parse_state(ctx, field);
      continue;
    }
    if (!first_property) first_property = &field;
    if (field.key == "displayName") {
      entry.desired.display_name = parse_string_or_null(ctx, field);
    } else if (field.key == "userSync") {
      entry.desired.user_sync_inbound = parse_sync(ctx, field, true);  // userSyncInbound.isSyncAllowed is nullable
    } else if (field.key == "groupSync") {
      entry.desired.group_sync_inbound = parse_sync(ctx, field, false);  // groupSyncInbound's is not
    } else {
      entry.desired.external_cloud_authorized_application_id = parse_string_or_null(ctx, field);
    }
  }
  if (entry.line == 0) {
    fail(ctx.file, line_of(node) ? line_of(node) : partners_line, "tenant",
         "missing in " + which + "; name the partner's tenant ID or domain name");
  }
  if (entry.state == DesiredState::absent && first_property) {
    fail(ctx.file, first_property->line, first_property->key,
         "means nothing with state: absent, which deletes the policy; remove the property or the state");
  }
  return entry;
}

void parse_version(const Context& ctx, const Field& field) {
  const YAML::Node& node = field.value;
  if (node.IsScalar() && node.Tag() == "?" && node.Scalar() == "1") return;
  if (node.IsScalar() && node.Tag() != "?" && node.Scalar() == "1") {
    fail(ctx.file, field.line, field.key, "must be the number 1, not the string \"1\"");
  }
  if (node.IsScalar() && !is_null(node)) {
    fail(ctx.file, field.line, field.key,
         "unsupported version " + describe(node) + "; this xtsync reads version 1 only");
  }
  fail(ctx.file, field.line, field.key, "must be 1, not " + describe(node));
}

}  // namespace

ApplyDocument parse_apply_file(std::string_view text, const std::string& file_label, graph::ApiVersion version) {
  const Context ctx{file_label, version};
  const YAML::Node root = load_document(text, file_label);
  const int root_line = std::max(line_of(root), 1);
  if (!root.IsMap()) {
    fail(file_label, root_line, "",
         "the top level must be a mapping with the keys version and partners, not " + describe(root));
  }
  const auto fields = fields_of(ctx, root, k_top_keys, "the top level");

  const Field* version_field = find_field(fields, "version");
  if (!version_field) fail(file_label, root_line, "version", "missing; the file starts with 'version: 1'");
  parse_version(ctx, *version_field);

  const Field* partners = find_field(fields, "partners");
  if (!partners) fail(file_label, root_line, "partners", "missing; list the partners under it ('partners: []' for none)");
  if (!partners->value.IsSequence()) {
    fail(file_label, partners->line, "partners", "must be a sequence of partner entries, not " + describe(partners->value));
  }

  ApplyDocument document;
  std::map<std::string, int> seen;  // tenant as written → line
  std::size_t index = 0;
  for (const auto& node : partners->value) {
    ApplyEntry entry = parse_entry(ctx, node, index++, partners->line);
    const auto [it, fresh] = seen.emplace(entry.tenant, entry.line);
    if (!fresh) {
      fail(file_label, entry.line, "tenant",
           shown(entry.tenant) + " is listed twice (lines " + std::to_string(it->second) + " and " +
               std::to_string(entry.line) + "); give each partner one entry");
    }
    document.partners.push_back(std::move(entry));
  }
  return document;
}

}  // namespace xtsync::api
