#include "emulator/state.hpp"

#include <fcntl.h>
#include <unistd.h>
#include <cerrno>
#include <cstring>
#include <stdexcept>

#include <fmt/format.h>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include "emulator/graph_response.hpp"
#include "emulator/json_body.hpp"
#include "emulator/partner_schema.hpp"
#include "emulator/policy_schema.hpp"
#include "util/file.hpp"
#include "util/guid.hpp"

namespace xtsync::emulator {

namespace json = boost::json;

namespace {

json::array to_array(const State::Table& table) {
  json::array out;
  for (const auto& [tenant, object] : table) out.push_back(object);
  return out;
}

const json::array& array_member(const json::object& document, std::string_view name) {
  static const json::array empty;
  const auto* value = document.if_contains(name);
  if (!value || value->is_null()) return empty;
  if (!value->is_array()) throw std::invalid_argument(fmt::format("'{}' must be an array", name));
  return value->as_array();
}

std::string tenant_of(const json::object& object, std::string_view where) {
  const auto* tenant = object.if_contains("tenantId");
  const auto id = tenant && tenant->is_string() ? util::normalize_guid(tenant->as_string()) : std::nullopt;
  if (!id) throw std::invalid_argument(fmt::format("every item of '{}' needs a GUID tenantId", where));
  return *id;
}

// Documented properties first (null when absent), then whatever else the object carries.
json::object complete_policy(const json::object& given, const std::string& tenant) {
  json::object out = new_policy(tenant);
  for (const auto& [key, value] : given) {
    if (key != "tenantId") out[key] = value;
  }
  return out;
}

void write_all(int fd, const std::string& data, const std::string& path) {
  std::size_t done = 0;
  while (done < data.size()) {
    const ssize_t n = ::write(fd, data.data() + done, data.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) throw std::runtime_error(fmt::format("cannot write {}: {}", path, std::strerror(errno)));
    done += static_cast<std::size_t>(n);
  }
}

}  // namespace

const json::object* State::find(const Table& table, std::string_view tenant) {
  const auto it = table.find(tenant);
  return it == table.end() ? nullptr : &it->second;
}

bool State::erase(Table& table, std::string_view tenant) {
  const auto it = table.find(tenant);
  if (it == table.end()) return false;
  table.erase(it);
  ++revision_;
  return true;
}

void State::put_partner(const std::string& tenant, json::object partner) {
  partners_[tenant] = std::move(partner);
  ++revision_;
}

void State::put_policy(const std::string& tenant, json::object policy) {
  policies_[tenant] = std::move(policy);
  ++revision_;
}

void State::put_deleted(const std::string& tenant, json::object policy) {
  deleted_[tenant] = std::move(policy);
  ++revision_;
}

void State::merge(const State& other) {
  for (const auto& [tenant, object] : other.partners_) partners_[tenant] = object;
  for (const auto& [tenant, object] : other.policies_) policies_[tenant] = object;
  for (const auto& [tenant, object] : other.deleted_) deleted_[tenant] = object;
  ++revision_;
}

void State::clear() {
  partners_.clear();
  policies_.clear();
  deleted_.clear();
  ++revision_;
}

json::object State::to_json() const {
  return json::object{
      {"partners", to_array(partners_)}, {"policies", to_array(policies_)}, {"deleted", to_array(deleted_)}};
}

State State::from_json(const json::value& document, std::string_view now_text) {
  if (!document.is_object()) throw std::invalid_argument("the state must be a JSON object");
  if (!all_numbers_finite(document)) {
    throw std::invalid_argument("the state holds a number too large for a double (it would be served as Infinity)");
  }
  try {
    return from_checked_json(document.as_object(), now_text);
  } catch (const GraphError& e) {
    // The schema's checks speak Graph; a seed or state file gets them as plain bad input.
    throw std::invalid_argument(e.what());
  }
}

State State::from_checked_json(const json::object& root, std::string_view now_text) {
  State state;
  for (const auto& item : array_member(root, "partners")) {
    if (item.is_string()) {
      const auto id = util::normalize_guid(item.as_string());
      if (!id)
        throw std::invalid_argument(
            fmt::format("'{}' in 'partners' is not a GUID", item.as_string().c_str()));
      state.partners_[*id] = new_partner(*id);
    } else if (item.is_object()) {
      const std::string id = tenant_of(item.as_object(), "partners");
      check_stored_partner(item.as_object());
      json::object partner = new_partner(id);
      for (const auto& [key, value] : item.as_object()) {
        if (key != "tenantId") partner[key] = value;
      }
      state.partners_[id] = std::move(partner);
    } else {
      throw std::invalid_argument("'partners' holds tenant-id strings or partner objects");
    }
  }
  for (const auto& item : array_member(root, "policies")) {
    if (!item.is_object()) throw std::invalid_argument("'policies' holds policy objects");
    const std::string id = tenant_of(item.as_object(), "policies");
    json::object policy = normalise_stored_policy(complete_policy(item.as_object(), id));
    policy.erase("deletedDateTime");  // an active policy is not deleted
    state.policies_[id] = std::move(policy);
    // A policy hangs off its partner configuration, so seeding one implies the other.
    if (!state.partners_.contains(id)) state.partners_[id] = new_partner(id);
  }
  for (const auto& item : array_member(root, "deleted")) {
    if (!item.is_object()) throw std::invalid_argument("'deleted' holds policy objects");
    const std::string id = tenant_of(item.as_object(), "deleted");
    json::object policy = normalise_stored_policy(complete_policy(item.as_object(), id));
    const auto* when = policy.if_contains("deletedDateTime");
    if (!when || when->is_null()) {
      policy["deletedDateTime"] = now_text;
    } else if (!when->is_string()) {
      throw std::invalid_argument("'deletedDateTime' must be a string such as 2025-06-18T23:11:01Z");
    }
    state.deleted_[id] = std::move(policy);
  }
  return state;
}

void State::save(const std::filesystem::path& path) const {
  const std::string data = json::serialize(to_json()) + "\n";
  const std::string final_path = path.string();
  const std::string temp_path = fmt::format("{}.tmp-{}", final_path, ::getpid());
  const int fd = ::open(temp_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  if (fd < 0) throw std::runtime_error(fmt::format("cannot create {}: {}", temp_path, std::strerror(errno)));
  try {
    write_all(fd, data, temp_path);
    if (::fsync(fd) != 0)
      throw std::runtime_error(fmt::format("cannot flush {}: {}", temp_path, std::strerror(errno)));
  } catch (...) {
    ::close(fd);
    ::unlink(temp_path.c_str());
    throw;
  }
  ::close(fd);
  if (::rename(temp_path.c_str(), final_path.c_str()) != 0) {
    const int err = errno;
    ::unlink(temp_path.c_str());
    throw std::runtime_error(fmt::format("cannot replace {}: {}", final_path, std::strerror(err)));
  }
}

State State::load(const std::filesystem::path& path, std::string_view now_text) {
  const std::string text = util::read_file(path.string(), path.string(), {.max_bytes = k_max_state_bytes});
  json::error_code ec;
  const json::value document = json::parse(text, ec);
  if (ec) throw std::runtime_error(fmt::format("{} is not valid JSON: {}", path.string(), ec.message()));
  try {
    return from_json(document, now_text);
  } catch (const std::invalid_argument& e) {
    throw std::runtime_error(fmt::format("{}: {}", path.string(), e.what()));
  }
}

}  // namespace xtsync::emulator
