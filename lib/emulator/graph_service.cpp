#include "emulator/graph_service.hpp"

#include <fmt/format.h>
#include <algorithm>
#include <charconv>

#include "emulator/graph_response.hpp"
#include "emulator/graph_routes.hpp"
#include "emulator/graph_target.hpp"
#include "emulator/identity_form.hpp"
#include "emulator/json_body.hpp"
#include "emulator/partner_schema.hpp"
#include "emulator/policy_schema.hpp"
#include "emulator/skiptoken.hpp"
#include "util/json_fields.hpp"
#include "util/strings.hpp"

namespace xtsync::emulator {

namespace json = boost::json;

namespace {

constexpr std::string_view k_conflict_message =
    "A conflicting object with one or more of the specified property values is present in the directory.";

// The token of an "Authorization: Bearer <token>" header; empty when there is none.
std::string bearer_token(const http::Request& request) {
  const auto header = http::find_header(request.headers, "Authorization");
  if (!header) return {};
  const std::string_view value = util::trim(*header);
  const auto space = value.find(' ');
  if (space == std::string_view::npos || !util::iequals(value.substr(0, space), "Bearer")) return {};
  return std::string(util::trim(value.substr(space + 1)));
}

[[noreturn]] void throw_unauthenticated(std::string_view message) {
  GraphError error(401, "InvalidAuthenticationToken", std::string(message));
  error.headers.push_back(
      {"WWW-Authenticate",
       R"(Bearer realm="", authorization_uri="https://login.microsoftonline.com/common/oauth2/)"
       R"(authorize", client_id="00000003-0000-0000-c000-000000000000")"});
  throw error;
}

void require_json_content(const http::Request& request) {
  const auto header = http::find_header(request.headers, "Content-Type");
  const std::string_view value = header ? std::string_view(*header) : std::string_view();
  const auto media_type = util::trim(value.substr(0, value.find(';')));
  if (!util::iequals(media_type, "application/json")) {
    throw GraphError(
        415, "UnsupportedMediaType",
        header ? fmt::format("The content type '{}' is not supported; use 'application/json'.", *header)
               : std::string("A Content-Type header of 'application/json' is required."));
  }
}

void reject_unsupported_options(const QueryOptions& query,
                                std::initializer_list<std::string_view> supported) {
  for (const auto& [name, value] : query.items) {
    if (std::find(supported.begin(), supported.end(), name) == supported.end()) {
      throw GraphError(400, "BadRequest",
                       fmt::format("Query option '${}' is not supported for this request.", name));
    }
  }
}

[[noreturn]] void throw_partner_missing(std::string_view tenant) {
  throw GraphError(
      404, "Request_ResourceNotFound",
      fmt::format("The crossTenantAccessPolicyConfigurationPartner with tenantId '{}' does not exist.",
                  tenant));
}

[[noreturn]] void throw_policy_missing(std::string_view tenant) {
  throw GraphError(404, "Request_ResourceNotFound",
                   fmt::format("The partner with tenantId '{}' has no crossTenantIdentitySyncPolicyPartner "
                               "(identitySynchronization).",
                               tenant));
}

[[noreturn]] void throw_deleted_missing(std::string_view tenant) {
  throw GraphError(404, "Request_ResourceNotFound",
                   fmt::format("No deleted crossTenantIdentitySyncPolicyPartner with tenantId '{}' exists in "
                               "deleted items.",
                               tenant));
}

[[noreturn]] void throw_conflict() {
  GraphError error(409, "Request_MultipleObjectsWithSameKeyValue", std::string(k_conflict_message));
  error.details.push_back(
      json::object{{"code", "ConflictingObjects"}, {"message", k_conflict_message}, {"target", "tenantId"}});
  throw error;
}

bool expand_identity_sync(const QueryOptions& query) {
  const auto expand = query.get("expand");
  if (!expand) return false;
  const auto value = util::trim(*expand);
  if (!util::iequals(value, "identitySynchronization")) {
    throw GraphError(
        400, "BadRequest",
        fmt::format("Could not find a property named '{}' on type '{}'.", value, k_partner_type));
  }
  return true;
}

std::size_t parse_top(const QueryOptions& query, std::size_t fallback) {
  const auto top = query.get("top");
  if (!top) return fallback;
  std::size_t value = 0;
  const auto [ptr, ec] = std::from_chars(top->data(), top->data() + top->size(), value);
  if (ec != std::errc{} || ptr != top->data() + top->size() || value == 0 || value > 999) {
    throw GraphError(
        400, "BadRequest",
        fmt::format("Invalid page size specified: '{}'. Must be between 1 and 999 inclusive.", *top));
  }
  return value;
}

PageKey page_key(const json::object& policy, const std::string& tenant) {
  return {util::string_at(policy, "deletedDateTime"), tenant};
}

}  // namespace

struct Graph::Call {
  const http::Request& request;
  CallContext ctx;
  ApiVersion version = ApiVersion::beta;
  QueryOptions query;
  Route route;
};

Graph::Graph(State& state, GraphOptions options, std::string base_url)
    : state_(state), options_(std::move(options)), base_url_(std::move(base_url)) {
  if (options_.tokens.empty()) options_.tokens.emplace_back(k_default_token);
  if (options_.page_size == 0) options_.page_size = 1;
}

std::string Graph::metadata_url(const Call& call) const {
  return fmt::format("{}/{}/$metadata", base_url_, version_name(call.version));
}

http::Response Graph::handle(const http::Request& request) {
  Call call{request, make_call_context(request, options_.clock()), ApiVersion::beta, {}, {}};
  http::Response response;
  try {
    response = dispatch(call);
  } catch (const GraphError& error) {
    response = graph_error(error, call.ctx);
  }
  // Graph's early warning, sent once a limit is more than 80 % used.
  if (options_.write_quota) {
    const double usage = options_.write_quota->usage(call.ctx.now);
    if (usage > 0.8) http::set_header(response.headers, "x-ms-throttle-limit-percentage", fmt::format("{:.2f}", usage));
  }
  return response;
}

json::object Graph::write_stats() const {
  return json::object{{"writes", writes_}, {"throttled", throttled_}, {"earlyRetries", early_retries_}};
}

void Graph::reset_write_stats() {
  writes_ = throttled_ = early_retries_ = 0;
  not_before_.clear();
}

void Graph::charge_write(const Call& call) {
  // A POST to a collection is told apart by what it creates.
  std::string key = call.request.method + " " + util::to_lower(target_path(call.request.url));
  if (call.request.method == "POST") key += " " + call.request.body;
  const auto now = call.ctx.now;
  ++writes_;
  if (const auto it = not_before_.find(key); it != not_before_.end()) {
    if (now < it->second) ++early_retries_;
    not_before_.erase(it);
  }
  if (!options_.write_quota) return;
  const auto retry_after = options_.write_quota->take(now);
  if (!retry_after) return;
  ++throttled_;
  if (not_before_.size() < 100'000) not_before_[key] = now + *retry_after;
  GraphError error(429, "TooManyRequests", "Too many requests.");
  error.headers.push_back({"Retry-After", std::to_string(retry_after->count())});
  error.headers.push_back({"x-ms-throttle-scope", "Tenant_Application/ReadWrite/emulator-app/emulator-tenant"});
  error.headers.push_back({"x-ms-throttle-information", "WriteLimitExceeded"});
  throw error;
}

http::Response Graph::dispatch(Call& call) {
  // Authentication comes first, as at Graph's front door, whatever the path.
  const std::string token = bearer_token(call.request);
  if (token.empty()) throw_unauthenticated("Access token is empty.");
  const auto known = [&](const std::vector<std::string>& list) {
    return std::find(list.begin(), list.end(), token) != list.end();
  };
  bool can_write = known(options_.tokens);
  bool can_read = true;
  if (!can_write && !known(options_.read_only_tokens)) {
    const IssuedToken* issued = options_.issued_tokens ? options_.issued_tokens->find(token) : nullptr;
    if (!issued) throw_unauthenticated("Access token validation failure. Invalid audience.");
    if (call.ctx.now >= issued->expires) throw_unauthenticated("Lifetime validation failed, the token is expired.");
    if (!is_graph_audience(issued->audience, base_url_)) {
      throw_unauthenticated("Access token validation failure. Invalid audience.");
    }
    can_read = issued->allows_read();
    can_write = issued->allows_write();
  }

  const Target target = parse_target(call.request.url);
  if (target.segments.empty() || target.segments[0].empty()) {
    throw GraphError(400, "BadRequest", "Invalid version: the request URL must start with /v1.0 or /beta.");
  }
  const auto version = parse_version(target.segments[0]);
  if (!version) throw GraphError(400, "BadRequest", fmt::format("Invalid version: {}", target.segments[0]));
  call.version = *version;
  call.route = match_route(target.segments, call.version);
  call.query = system_query_options(target, call.version);

  const auto methods = allowed_methods(call.route.resource);
  const std::string& method = call.request.method;
  if (std::find(methods.begin(), methods.end(), method) == methods.end()) {
    GraphError error(405, "Request_BadRequest",
                     "Specified HTTP method is not allowed for the request target.");
    error.headers.push_back({"Allow", fmt::format("{}", fmt::join(methods, ", "))});
    throw error;
  }
  const bool is_batch = call.route.resource == Resource::batch;
  // A batch is only an envelope: each item is authorized, and charged, on its own.
  if (!can_read || (method != "GET" && !is_batch && !can_write)) {
    throw GraphError(403, "Authorization_RequestDenied",
                     "Insufficient privileges to complete the operation.");
  }
  if (method != "GET" && !is_batch) charge_write(call);

  switch (call.route.resource) {
    case Resource::partners:
      return method == "GET" ? list_partners(call) : create_partner(call);
    case Resource::partner:
      if (method == "GET") return get_partner(call);
      return method == "PATCH" ? update_partner(call) : delete_partner(call);
    case Resource::policy:
      if (method == "GET") return get_policy(call);
      if (method == "PUT") return create_policy(call);
      return method == "PATCH" ? update_policy(call) : delete_policy(call);
    case Resource::deleted_list:
      return list_deleted(call);
    case Resource::deleted_item:
      return method == "GET" ? get_deleted(call) : purge_deleted(call);
    case Resource::restore:
      return restore_deleted(call);
    case Resource::batch:
      return batch(call);
    case Resource::tenant_by_domain:
    case Resource::tenant_by_id:
      return find_tenant(call);
  }
  throw GraphError(500, "InternalServerError", "Unhandled route.");
}

// ---- partner configurations ----

namespace {

// "(a,b)" after the entity set in @odata.context for a $select, with "identitySynchronization()"
// for an $expand; empty when neither was asked for.
std::string projection(const std::vector<std::string>& select, bool expand) {
  std::vector<std::string> parts;
  if (!select.empty()) {
    parts = select;
    if (expand) parts.emplace_back("identitySynchronization()");
  } else if (expand) {
    parts.emplace_back("identitySynchronization()");
  }
  return parts.empty() ? std::string() : fmt::format("({})", fmt::join(parts, ","));
}

}  // namespace

http::Response Graph::list_partners(Call& call) {
  reject_unsupported_options(call.query, {"expand", "select", "top", "skip", "skiptoken"});
  const bool expand = expand_identity_sync(call.query);
  std::vector<std::string> select;
  if (const auto value = call.query.get("select")) select = parse_partner_select(*value, call.version);
  const std::size_t page_size = parse_top(call.query, options_.page_size);

  // Ordered by tenant id; a page resumes after the last tenant id the previous one sent.
  const auto& partners = state_.partners();
  auto first = partners.begin();
  if (const auto token = call.query.get("skiptoken")) {
    const auto after = decode_skiptoken(*token);
    if (!after) throw GraphError(400, "Request_BadRequest", "The $skiptoken value is invalid.");
    first = partners.upper_bound(after->tenant_id);
  } else if (const auto skip = call.query.get("skip")) {
    std::size_t count = 0;
    const auto [ptr, ec] = std::from_chars(skip->data(), skip->data() + skip->size(), count);
    if (ec != std::errc{} || ptr != skip->data() + skip->size()) {
      throw GraphError(400, "BadRequest", fmt::format("Invalid value '{}' for $skip.", *skip));
    }
    while (count-- > 0 && first != partners.end()) ++first;
  }
  json::array value;
  auto it = first;
  for (std::size_t n = 0; it != partners.end() && n < page_size; ++it, ++n) {
    const auto& [tenant, partner] = *it;
    json::object item = render_partner(partner, call.version);
    if (!select.empty()) item = select_partner(item, select);
    if (expand) {
      const auto* policy = state_.policy(tenant);
      item["identitySynchronization"] = policy ? json::value(render_policy(*policy, call.version)) : nullptr;
    }
    value.push_back(std::move(item));
  }
  const std::string context =
      metadata_url(call) + "#policies/crossTenantAccessPolicy/partners" + projection(select, expand);
  json::object body{{"@odata.context", context}, {"value", std::move(value)}};
  if (it != partners.end()) {
    std::string link = fmt::format("{}/{}/policies/crossTenantAccessPolicy/partners?", base_url_,
                                   version_name(call.version));
    if (expand) link += "$expand=identitySynchronization&";
    if (!select.empty()) link += fmt::format("$select={}&", fmt::join(select, ","));
    if (call.query.get("top")) link += fmt::format("$top={}&", page_size);
    link += fmt::format("$skiptoken={}", encode_skiptoken(PageKey{{}, std::prev(it)->first}));
    body["@odata.nextLink"] = link;
  }
  return graph_json(200, body, call.ctx);
}

http::Response Graph::create_partner(Call& call) {
  require_json_content(call.request);
  PartnerChanges changes = parse_partner_create(call.request.body, call.version);
  if (state_.partner(changes.tenant_id)) {
    throw GraphError(409, "Request_MultipleObjectsWithSameKeyValue",
                     "Another object with the same value for property tenantId already exists.");
  }
  json::object partner = new_partner(changes.tenant_id);
  for (const auto& [key, value] : changes.properties) partner[key] = value;
  json::object body{
      {"@odata.context", metadata_url(call) + "#policies/crossTenantAccessPolicy/partners/$entity"}};
  for (const auto& [key, value] : render_partner(partner, call.version)) body[key] = value;
  state_.put_partner(changes.tenant_id, std::move(partner));
  return graph_json(201, body, call.ctx);
}

http::Response Graph::get_partner(Call& call) {
  reject_unsupported_options(call.query, {"expand", "select"});
  const bool expand = expand_identity_sync(call.query);
  std::vector<std::string> select;
  if (const auto value = call.query.get("select")) select = parse_partner_select(*value, call.version);
  const auto& tenant = call.route.tenant;
  const auto* partner = state_.partner(tenant);
  if (!partner) throw_partner_missing(tenant);
  json::object body{{"@odata.context", metadata_url(call) + "#policies/crossTenantAccessPolicy/partners" +
                                           projection(select, expand) + "/$entity"}};
  json::object rendered = render_partner(*partner, call.version);
  if (!select.empty()) rendered = select_partner(rendered, select);
  for (const auto& [key, value] : rendered) body[key] = value;
  if (expand) {
    const auto* policy = state_.policy(tenant);
    body["identitySynchronization"] = policy ? json::value(render_policy(*policy, call.version)) : nullptr;
  }
  return graph_json(200, body, call.ctx);
}

http::Response Graph::update_partner(Call& call) {
  require_json_content(call.request);
  const auto& tenant = call.route.tenant;
  PartnerChanges changes = parse_partner_update(call.request.body, call.version, tenant);
  const auto* existing = state_.partner(tenant);
  if (!existing) throw_partner_missing(tenant);
  json::object partner = *existing;
  for (const auto& [key, value] : changes.properties) partner[key] = value;
  state_.put_partner(tenant, std::move(partner));
  return graph_no_content(call.ctx);
}

http::Response Graph::delete_partner(Call& call) {
  const auto& tenant = call.route.tenant;
  if (!state_.partner(tenant)) throw_partner_missing(tenant);
  if (state_.policy(tenant)) {
    throw GraphError(
        400, "Request_BadRequest",
        "The partner configuration has an identity synchronization policy "
        "(identitySynchronization). The identity synchronization policy must be deleted first before "
        "the partner configuration can be deleted.");
  }
  state_.erase_partner(tenant);
  return graph_no_content(call.ctx);
}

// ---- identitySynchronization ----

http::Response Graph::get_policy(Call& call) {
  reject_unsupported_options(call.query, {"select"});
  const auto& tenant = call.route.tenant;
  std::vector<std::string> select;
  if (const auto value = call.query.get("select")) select = parse_select(*value, call.version);
  if (!state_.partner(tenant)) throw_partner_missing(tenant);
  const auto* policy = state_.policy(tenant);
  if (!policy) throw_policy_missing(tenant);

  std::string context =
      fmt::format("{}#policies/crossTenantAccessPolicy/partners('{}')/identitySynchronization",
                  metadata_url(call), tenant);
  json::object rendered = render_policy(*policy, call.version);
  if (!select.empty()) {
    rendered = apply_select(rendered, select);
    std::vector<std::string_view> names;
    for (const auto& [key, value] : rendered) names.push_back(key);
    context += fmt::format("({})", fmt::join(names, ","));
  }
  json::object body{{"@odata.context", context + "/$entity"}};
  for (const auto& [key, value] : rendered) body[key] = value;
  return graph_json(200, body, call.ctx);
}

http::Response Graph::create_policy(Call& call) {
  require_json_content(call.request);
  const auto& tenant = call.route.tenant;
  const json::object changes = parse_policy_changes(call.request.body, call.version, tenant);
  if (!state_.partner(tenant)) throw_partner_missing(tenant);
  if (state_.policy(tenant)) throw_conflict();
  json::object policy = new_policy(tenant);
  for (const auto& [key, value] : changes) policy[key] = value;
  state_.put_policy(tenant, std::move(policy));
  return graph_no_content(call.ctx);
}

http::Response Graph::update_policy(Call& call) {
  require_json_content(call.request);
  const auto& tenant = call.route.tenant;
  const json::object changes = parse_policy_changes(call.request.body, call.version, tenant);
  const auto* existing = state_.partner(tenant) ? state_.policy(tenant) : nullptr;
  if (!existing) {
    throw GraphError(404, "Directory_ObjectNotFound",
                     "Unable to read the company information from the directory.");
  }
  json::object policy = *existing;
  for (const auto& [key, value] : changes) policy[key] = value;
  state_.put_policy(tenant, std::move(policy));
  return graph_no_content(call.ctx);
}

http::Response Graph::delete_policy(Call& call) {
  const auto& tenant = call.route.tenant;
  if (!state_.partner(tenant)) throw_partner_missing(tenant);
  const auto* policy = state_.policy(tenant);
  if (!policy) throw_policy_missing(tenant);
  // Soft delete in both versions: the copy replaces any older deleted copy of this tenant.
  json::object deleted = *policy;
  deleted["deletedDateTime"] = iso_utc_seconds(call.ctx.now);
  state_.put_deleted(tenant, std::move(deleted));
  state_.erase_policy(tenant);
  return graph_no_content(call.ctx);
}

// ---- deleted items (beta) ----

http::Response Graph::list_deleted(Call& call) {
  reject_unsupported_options(call.query, {"select", "top", "skiptoken"});
  const std::size_t page_size = parse_top(call.query, options_.page_size);
  std::vector<std::string> select;
  if (const auto value = call.query.get("select")) select = parse_select(*value, call.version);
  std::optional<PageKey> after;
  if (const auto token = call.query.get("skiptoken")) {
    after = decode_skiptoken(*token);
    if (!after) throw GraphError(400, "Request_BadRequest", "The $skiptoken value is invalid.");
  }

  // Oldest deletion first, ties by tenant id: a stable order that pages can resume from.
  std::vector<std::pair<PageKey, const json::object*>> items;
  for (const auto& [tenant, policy] : state_.deleted()) items.emplace_back(page_key(policy, tenant), &policy);
  std::sort(items.begin(), items.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
  auto first = items.begin();
  if (after)
    first = std::upper_bound(items.begin(), items.end(), *after,
                             [](const PageKey& key, const auto& item) { return key < item.first; });
  const auto remaining = static_cast<std::size_t>(items.end() - first);
  const auto last = first + static_cast<std::ptrdiff_t>(std::min(page_size, remaining));

  json::array value;
  for (auto it = first; it != last; ++it) {
    json::object rendered = render_policy(*it->second, call.version);
    value.push_back(select.empty() ? std::move(rendered) : apply_select(rendered, select));
  }
  json::object body{
      {"@odata.context", metadata_url(call) + "#policies/deletedItems/crossTenantSyncPolicyPartners"},
      {"value", std::move(value)}};
  if (last != items.end()) {
    std::string link = base_url_ + "/beta/policies/deletedItems/crossTenantSyncPolicyPartners?";
    if (call.query.get("top")) link += fmt::format("$top={}&", page_size);
    if (!select.empty()) link += fmt::format("$select={}&", fmt::join(select, ","));
    link += fmt::format("$skiptoken={}", encode_skiptoken(std::prev(last)->first));
    body["@odata.nextLink"] = link;
  }
  return graph_json(200, body, call.ctx);
}

http::Response Graph::get_deleted(Call& call) {
  reject_unsupported_options(call.query, {"select"});
  std::vector<std::string> select;
  if (const auto value = call.query.get("select")) select = parse_select(*value, call.version);
  const auto* policy = state_.deleted_policy(call.route.tenant);
  if (!policy) throw_deleted_missing(call.route.tenant);
  json::object rendered = render_policy(*policy, call.version);
  if (!select.empty()) rendered = apply_select(rendered, select);
  json::object body{{"@odata.context",
                     metadata_url(call) + "#policies/deletedItems/crossTenantSyncPolicyPartners/$entity"}};
  for (const auto& [key, value] : rendered) body[key] = value;
  return graph_json(200, body, call.ctx);
}

http::Response Graph::purge_deleted(Call& call) {
  if (!state_.erase_deleted(call.route.tenant)) throw_deleted_missing(call.route.tenant);
  return graph_no_content(call.ctx);
}

http::Response Graph::restore_deleted(Call& call) {
  // The docs say to send no body; one that is sent anyway is ignored rather than rejected.
  const auto& tenant = call.route.tenant;
  const auto* deleted = state_.deleted_policy(tenant);
  if (!deleted) throw_deleted_missing(tenant);
  if (state_.policy(tenant)) throw_conflict();

  json::object body{
      {"@odata.context", metadata_url(call) + "#microsoft.graph.crossTenantIdentitySyncPolicyPartner"}};
  // Like the docs' example, the response still shows when the policy had been deleted.
  for (const auto& [key, value] : render_policy(*deleted, call.version)) body[key] = value;
  json::object active = *deleted;
  active.erase("deletedDateTime");
  if (!state_.partner(tenant)) state_.put_partner(tenant, new_partner(tenant));
  state_.put_policy(tenant, std::move(active));
  state_.erase_deleted(tenant);
  return graph_json(200, body, call.ctx);
}

// ---- JSON batching ----

http::Response Graph::batch(Call& call) {
  if (in_batch_) throw GraphError(400, "BadRequest", "Nested batch requests are not supported.");
  reject_unsupported_options(call.query, {});
  require_json_content(call.request);
  const std::vector<BatchEntry> entries = parse_batch(call.request.body);
  std::vector<BatchAnswer> answers;
  std::map<std::string, int, std::less<>> status_of;
  in_batch_ = true;
  try {
    for (const auto& entry : entries) {
      const auto failed = std::find_if(entry.depends_on.begin(), entry.depends_on.end(), [&](const std::string& id) {
        const int status = status_of[id];
        return status < 200 || status >= 300;
      });
      http::Response response =
          failed != entry.depends_on.end()
              ? graph_error(GraphError(424, "FailedDependency",
                                       fmt::format("The request depends on request {}, which failed.", *failed)),
                            call.ctx)
              : run_batch_item(call, entry);
      status_of[entry.id] = response.status;
      answers.push_back({entry.id, std::move(response)});
    }
  } catch (...) {
    in_batch_ = false;
    throw;
  }
  in_batch_ = false;
  return graph_json(200, batch_response_body(answers, options_.batch_order), call.ctx);
}

http::Response Graph::run_batch_item(const Call& call, const BatchEntry& entry) {
  http::Request item;
  item.method = entry.method;
  item.url = fmt::format("/{}{}", version_name(call.version), entry.url);
  item.headers = entry.headers;
  // Items are sent with the batch's credentials.
  if (!http::find_header(item.headers, "Authorization")) {
    if (const auto auth = http::find_header(call.request.headers, "Authorization")) {
      item.headers.push_back({"Authorization", *auth});
    }
  }
  item.body = entry.body;
  if (options_.on_batch_item) {
    if (auto scripted = options_.on_batch_item(item, entry.id)) return std::move(*scripted);
  }
  return handle(item);
}

// ---- tenant information ----

http::Response Graph::find_tenant(Call& call) {
  reject_unsupported_options(call.query, {});
  const bool by_domain = call.route.resource == Resource::tenant_by_domain;
  const std::string& key = call.route.tenant;
  std::string tenant;
  for (const auto& [domain, id] : options_.domains) {
    if (by_domain ? domain == key : id == key) {
      tenant = id;
      break;
    }
  }
  if (tenant.empty()) {
    throw GraphError(404, "Request_ResourceNotFound",
                     by_domain ? fmt::format("No tenant was found for the domain '{}'.", key)
                               : fmt::format("No tenant was found with the tenant id '{}'.", key));
  }
  std::string default_domain;
  for (const auto& [domain, id] : options_.domains) {
    if (id == tenant) {
      default_domain = domain;
      break;
    }
  }
  // The display name is the default domain's first label, capitalized: "contoso.com" → "Contoso".
  std::string display_name = default_domain.substr(0, default_domain.find('.'));
  if (!display_name.empty() && display_name[0] >= 'a' && display_name[0] <= 'z') {
    display_name[0] = static_cast<char>(display_name[0] - 'a' + 'A');
  }
  json::object body{{"@odata.context", metadata_url(call) + "#microsoft.graph.tenantInformation"},
                    {"tenantId", tenant},
                    {"displayName", display_name},
                    {"defaultDomainName", default_domain},
                    {"federationBrandName", nullptr}};
  return graph_json(200, body, call.ctx);
}

}  // namespace xtsync::emulator
