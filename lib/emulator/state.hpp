// The emulated directory: partner configurations, active sync policies and soft-deleted sync
// policies, each a JSON object keyed by lower-case tenant id. Not thread-safe: the server runs
// one io_context thread.
#pragma once

#include <boost/json/object.hpp>
#include <boost/json/value.hpp>
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <map>
#include <string>
#include <string_view>

namespace xtsync::emulator {

// Largest state file loaded: far above any test's, small enough that a mistake cannot fill memory.
inline constexpr std::size_t k_max_state_bytes = 64 * 1024 * 1024;

class State {
 public:
  using Table = std::map<std::string, boost::json::object, std::less<>>;

  const Table& partners() const noexcept { return partners_; }
  const Table& policies() const noexcept { return policies_; }
  const Table& deleted() const noexcept { return deleted_; }

  const boost::json::object* partner(std::string_view tenant) const { return find(partners_, tenant); }
  const boost::json::object* policy(std::string_view tenant) const { return find(policies_, tenant); }
  const boost::json::object* deleted_policy(std::string_view tenant) const { return find(deleted_, tenant); }

  void put_partner(const std::string& tenant, boost::json::object partner);
  void put_policy(const std::string& tenant, boost::json::object policy);
  void put_deleted(const std::string& tenant, boost::json::object policy);
  bool erase_partner(std::string_view tenant) { return erase(partners_, tenant); }
  bool erase_policy(std::string_view tenant) { return erase(policies_, tenant); }
  bool erase_deleted(std::string_view tenant) { return erase(deleted_, tenant); }

  // Adds or replaces everything `other` holds.
  void merge(const State& other);
  void clear();

  // Bumped by every change; the owner compares it to decide when to save.
  std::uint64_t revision() const noexcept { return revision_; }

  // {"partners":[objects],"policies":[objects],"deleted":[objects]}: the state file format.
  boost::json::object to_json() const;
  // Reads that format; partners may also be given as bare tenant-id strings, policies get their
  // missing documented properties as null, deleted items without deletedDateTime get `now_text`.
  // Documented properties must have their documented types (unknown ones are kept as given), and
  // no number may be out of a double's range. Throws std::invalid_argument naming what is wrong.
  static State from_json(const boost::json::value& document, std::string_view now_text);

  // Writes to a temporary file in the same directory, flushes it to disk and renames it over
  // `path`, so readers never see a half-written file. Throws std::runtime_error.
  void save(const std::filesystem::path& path) const;
  // Reads a regular file of at most k_max_state_bytes; throws std::runtime_error (or
  // xtsync::Error) naming the file and what is wrong.
  static State load(const std::filesystem::path& path, std::string_view now_text);

 private:
  static State from_checked_json(const boost::json::object& root, std::string_view now_text);
  static const boost::json::object* find(const Table& table, std::string_view tenant);
  bool erase(Table& table, std::string_view tenant);

  Table partners_;
  Table policies_;
  Table deleted_;
  std::uint64_t revision_ = 0;
};

}  // namespace xtsync::emulator
