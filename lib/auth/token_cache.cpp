#include "auth/token_cache.hpp"

#include "auth/token_endpoint.hpp"

#include <dirent.h>
#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <fmt/format.h>
#include <algorithm>
#include <boost/json.hpp>
#include <cerrno>
#include <cstring>
#include <utility>

#include "error.hpp"
#include "util/guid.hpp"
#include "util/interrupt.hpp"
#include "util/json_fields.hpp"
#include "util/strings.hpp"

namespace xtsync::auth {

namespace json = boost::json;

namespace {

constexpr mode_t k_dir_mode = 0700;
constexpr mode_t k_file_mode = 0600;
constexpr std::string_view k_login_prefix = "login-";
constexpr std::string_view k_pointer_prefix = "last-login-";
constexpr std::string_view k_suffix = ".json";

using util::Fd;

Error io_error(const std::string& what, const std::string& path, int err) {
  return Error(ErrorKind::failure, fmt::format("cannot {} {}: {}", what, path, std::strerror(err)));
}

Error refused(const std::string& message) {
  Error e(ErrorKind::auth, message);
  e.hint = "remove it and run 'xtsync login' again, or point XDG_STATE_HOME elsewhere";
  return e;
}

bool starts_ends(std::string_view name, std::string_view prefix) {
  return name.size() > prefix.size() + k_suffix.size() && name.starts_with(prefix) && name.ends_with(k_suffix);
}

// One file-name component: lower case, only [a-z0-9.-], so a tenant can never name a path.
std::string component(std::string_view text) {
  // "", "." and ".." would be no name or a directory: start those with '_'.
  std::string out = text.empty() || text.find_first_not_of('.') == std::string_view::npos ? "_" : "";
  for (char c : text) {
    const char lower = (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
    const bool keep =
        (lower >= 'a' && lower <= 'z') || (lower >= '0' && lower <= '9') || lower == '.' || lower == '-';
    out += keep ? lower : '_';
  }
  return out;
}

std::string login_file_name(const std::string& cloud, const std::string& tenant,
                            const std::string& client_id) {
  return fmt::format("{}{}-{}-{}{}", k_login_prefix, component(cloud), component(tenant), component(client_id),
                     k_suffix);
}

std::string pointer_file_name(const std::string& cloud) {
  return fmt::format("{}{}{}", k_pointer_prefix, component(cloud), k_suffix);
}

// Parents as needed, each 0700 when we create it (the XDG base-directory spec's advice).
void make_directories(const std::string& directory) {
  for (std::size_t slash = directory.find('/', 1);; slash = directory.find('/', slash + 1)) {
    const std::string prefix = directory.substr(0, slash);
    if (::mkdir(prefix.c_str(), k_dir_mode) != 0 && errno != EEXIST) {
      throw io_error("create the login cache directory", prefix, errno);
    }
    if (slash == std::string::npos) break;
  }
}

// Refuses what another user owns; tightens what others could read. Returns a warning or "".
std::string check_owner_and_mode(int fd, const std::string& path, mode_t wanted, const char* kind) {
  struct stat st {};
  if (::fstat(fd, &st) != 0) throw io_error("inspect", path, errno);
  if (st.st_uid != ::geteuid()) {
    throw refused(
        fmt::format("the login cache {} {} belongs to another user (uid {}); xtsync will not trust it", kind,
                    path, st.st_uid));
  }
  const mode_t mode = st.st_mode & 07777;
  if (mode == wanted) return {};
  if (::fchmod(fd, wanted) != 0) throw io_error("restrict the permissions of", path, errno);
  return fmt::format("tightened the permissions of {} from {:04o} to {:04o} (it holds sign-in tokens)", path,
                     mode, wanted);
}

// Opens a file in the cache without following a symlink; an empty Fd when there is none.
Fd open_in(int dir, const std::string& directory, const std::string& name) {
  const std::string path = directory + '/' + name;
  Fd fd(::openat(dir, name.c_str(), O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK));
  if (fd) {
    struct stat st {};
    if (::fstat(fd.get(), &st) != 0) throw io_error("inspect", path, errno);
    if (!S_ISREG(st.st_mode))
      throw refused(fmt::format("the login cache file {} is not a regular file", path));
    return fd;
  }
  if (errno == ENOENT) return Fd();
  if (errno == ELOOP) {
    throw refused(
        fmt::format("the login cache file {} is a symbolic link; xtsync refuses to follow it", path));
  }
  throw io_error("open", path, errno);
}

std::string read_all(int fd, const std::string& path) {
  std::string content;
  char buffer[4096];
  while (true) {
    const ssize_t n = ::read(fd, buffer, sizeof buffer);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) throw io_error("read", path, errno);
    if (n == 0) break;
    content.append(buffer, static_cast<std::size_t>(n));
    if (content.size() > 1024 * 1024)
      throw refused(fmt::format("the login cache file {} is too large", path));
  }
  return content;
}

void write_all(int fd, std::string_view data, const std::string& path) {
  while (!data.empty()) {
    const ssize_t n = ::write(fd, data.data(), data.size());
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) throw io_error("write", path, errno);
    data.remove_prefix(static_cast<std::size_t>(n));
  }
}

// temp file (O_EXCL, 0600) → write → fsync → rename over the old one → fsync the directory,
// so a crash leaves either the old file or the new one, never half of one.
void write_atomically(int dir, const std::string& directory, const std::string& name,
                      std::string_view content) {
  const std::string path = directory + '/' + name;
  struct stat existing {};
  if (::fstatat(dir, name.c_str(), &existing, AT_SYMLINK_NOFOLLOW) == 0 && S_ISLNK(existing.st_mode)) {
    throw refused(
        fmt::format("the login cache file {} is a symbolic link; xtsync refuses to replace it", path));
  }
  const std::string temp = fmt::format(".{}.tmp-{}-{}", name, ::getpid(), util::new_guid().substr(0, 8));
  Fd fd(::openat(dir, temp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, k_file_mode));
  if (!fd) throw io_error("create", directory + '/' + temp, errno);
  try {
    if (::fchmod(fd.get(), k_file_mode) != 0) throw io_error("restrict the permissions of", path, errno);
    write_all(fd.get(), content, path);
    if (::fsync(fd.get()) != 0) throw io_error("flush", path, errno);
    if (::renameat(dir, temp.c_str(), dir, name.c_str()) != 0) throw io_error("replace", path, errno);
  } catch (...) {
    ::unlinkat(dir, temp.c_str(), 0);
    throw;
  }
  ::fsync(dir);
}

std::optional<CachedLogin> parse_login(std::string_view text) {
  boost::system::error_code ec;
  const json::value v = json::parse(text, ec);
  if (ec || !v.is_object()) return std::nullopt;
  const auto& o = v.get_object();
  CachedLogin login;
  login.cloud = util::string_at(o, "cloud");
  login.tenant = util::string_at(o, "tenant");
  login.client_id = util::string_at(o, "client_id");
  login.access_token = util::string_at(o, "access_token");
  login.refresh_token = util::string_at(o, "refresh_token");
  login.scope = util::string_at(o, "scope");
  if (const auto* names = o.if_contains("tenant_names"); names && names->is_array()) {
    for (const auto& name : names->get_array()) {
      if (name.is_string()) login.tenant_names.emplace_back(name.get_string());
    }
  }
  const auto* expires = o.if_contains("expires_on");
  if (!expires || !expires->is_int64()) return std::nullopt;
  login.expires_on = epoch_time(expires->get_int64());
  if (login.cloud.empty() || login.tenant.empty() || login.client_id.empty()) return std::nullopt;
  if (login.access_token.empty() && login.refresh_token.empty()) return std::nullopt;
  return login;
}

std::string serialize(const CachedLogin& login) {
  const auto expires =
      std::chrono::duration_cast<std::chrono::seconds>(login.expires_on.time_since_epoch()).count();
  json::object o;
  o["cloud"] = login.cloud;
  o["tenant"] = login.tenant;
  o["client_id"] = login.client_id;
  o["scope"] = login.scope;
  if (!login.tenant_names.empty()) {
    json::array names;
    for (const auto& name : login.tenant_names) names.emplace_back(name);
    o["tenant_names"] = std::move(names);
  }
  o["expires_on"] = static_cast<std::int64_t>(expires);
  o["access_token"] = login.access_token;
  o["refresh_token"] = login.refresh_token;
  return json::serialize(o) + "\n";
}

}  // namespace

bool CachedLogin::answers_to(const std::string& name) const {
  if (util::iequals(tenant, name)) return true;
  return std::any_of(tenant_names.begin(), tenant_names.end(),
                     [&](const std::string& known) { return util::iequals(known, name); });
}

// ---- The directory ----

std::string TokenCache::default_directory(const Getenv& getenv) {
  // The XDG spec says to ignore relative paths in these variables.
  if (auto state = getenv("XDG_STATE_HOME"); state && state->starts_with('/')) return *state + "/xtsync";
  if (auto home = getenv("HOME"); home && home->starts_with('/')) return *home + "/.local/state/xtsync";
  Error e(ErrorKind::auth,
          "cannot find a place for the login cache: neither XDG_STATE_HOME nor HOME is an absolute path");
  e.hint = "set XDG_STATE_HOME or HOME";
  throw e;
}

TokenCache::TokenCache(std::string directory) : directory_(std::move(directory)) {
  while (directory_.size() > 1 && directory_.back() == '/') directory_.pop_back();
}

namespace {

// The cache directory, opened without following a symlink; an empty Fd when it does not
// exist and `create` is false.
Fd open_directory(const std::string& directory, bool create, std::vector<std::string>& warnings) {
  if (create) make_directories(directory);
  Fd fd(::open(directory.c_str(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC));
  if (!fd) {
    if (errno == ENOENT && !create) return Fd();
    struct stat st {};
    if ((errno == ELOOP || errno == ENOTDIR) && ::lstat(directory.c_str(), &st) == 0 && S_ISLNK(st.st_mode)) {
      throw refused(fmt::format(
          "the login cache directory {} is a symbolic link; xtsync refuses to follow it", directory));
    }
    if (errno == ENOTDIR)
      throw refused(fmt::format("the login cache directory {} is not a directory", directory));
    throw io_error("open the login cache directory", directory, errno);
  }
  if (auto warning = check_owner_and_mode(fd.get(), directory, k_dir_mode, "directory"); !warning.empty()) {
    warnings.push_back(std::move(warning));
  }
  return fd;
}

}  // namespace

std::string TokenCache::path_for(const std::string& cloud, const std::string& tenant,
                                 const std::string& client_id) const {
  return directory_ + '/' + login_file_name(cloud, tenant, client_id);
}

// ---- Reading ----

namespace {

CacheLookup read_login(int dir, const std::string& directory, const std::string& name,
                       std::vector<std::string>& warnings) {
  CacheLookup lookup;
  lookup.path = directory + '/' + name;
  const Fd fd = open_in(dir, directory, name);
  if (!fd) return lookup;
  if (auto warning = check_owner_and_mode(fd.get(), lookup.path, k_file_mode, "file"); !warning.empty()) {
    warnings.push_back(std::move(warning));
  }
  lookup.login = parse_login(read_all(fd.get(), lookup.path));
  if (!lookup.login)
    lookup.problem =
        fmt::format("the cached login in {} is unreadable (not the JSON xtsync writes)", lookup.path);
  return lookup;
}

}  // namespace

CacheLookup TokenCache::load(const std::string& cloud, const std::string& tenant,
                             const std::string& client_id) {
  const Fd dir = open_directory(directory_, false, warnings_);
  const std::string name = login_file_name(cloud, tenant, client_id);
  if (!dir) return {std::nullopt, directory_ + '/' + name, {}};
  return read_login(dir.get(), directory_, name, warnings_);
}

CacheLookup TokenCache::find(const std::string& cloud, const std::string& tenant, const std::string& client_id) {
  CacheLookup exact = load(cloud, tenant, client_id);
  if (exact.login || !exact.problem.empty()) return exact;
  for (auto& entry : list()) {
    if (entry.login && entry.login->cloud == cloud && util::iequals(entry.login->client_id, client_id) &&
        entry.login->answers_to(tenant)) {
      return entry;
    }
  }
  return exact;
}

CacheLookup TokenCache::load_last(const std::string& cloud) {
  const std::string name = pointer_file_name(cloud);
  const Fd dir = open_directory(directory_, false, warnings_);
  if (!dir) return {std::nullopt, directory_ + '/' + name, {}};
  CacheLookup pointer;
  pointer.path = directory_ + '/' + name;
  const Fd fd = open_in(dir.get(), directory_, name);
  if (!fd) return pointer;
  if (auto warning = check_owner_and_mode(fd.get(), pointer.path, k_file_mode, "file"); !warning.empty()) {
    warnings_.push_back(std::move(warning));
  }
  boost::system::error_code ec;
  const json::value v = json::parse(read_all(fd.get(), pointer.path), ec);
  const std::string file = (!ec && v.is_object()) ? util::string_at(v.get_object(), "file") : std::string();
  if (!starts_ends(file, k_login_prefix) || file.find('/') != std::string::npos) {
    pointer.problem = fmt::format("the last-login record {} is unreadable", pointer.path);
    return pointer;
  }
  return read_login(dir.get(), directory_, file, warnings_);
}

std::vector<CacheLookup> TokenCache::list() {
  std::vector<CacheLookup> found;
  const Fd dir = open_directory(directory_, false, warnings_);
  if (!dir) return found;
  DIR* stream = ::fdopendir(::dup(dir.get()));
  if (!stream) throw io_error("list", directory_, errno);
  std::vector<std::string> names;
  while (const dirent* entry = ::readdir(stream)) {
    if (starts_ends(entry->d_name, k_login_prefix)) names.emplace_back(entry->d_name);
  }
  ::closedir(stream);
  std::sort(names.begin(), names.end());
  for (const auto& name : names) {
    try {
      found.push_back(read_login(dir.get(), directory_, name, warnings_));
    } catch (const Error& e) {
      found.push_back({std::nullopt, directory_ + '/' + name, e.what()});
    }
  }
  return found;
}

// ---- Writing and removing ----

std::string TokenCache::save(const CachedLogin& login, bool remember_as_last) {
  const Fd dir = open_directory(directory_, true, warnings_);
  const std::string name = login_file_name(login.cloud, login.tenant, login.client_id);
  write_atomically(dir.get(), directory_, name, serialize(login));
  if (!remember_as_last) return directory_ + '/' + name;
  json::object pointer;
  pointer["file"] = name;
  pointer["tenant"] = login.tenant;
  pointer["client_id"] = login.client_id;
  write_atomically(dir.get(), directory_, pointer_file_name(login.cloud), json::serialize(pointer) + "\n");
  return directory_ + '/' + name;
}

util::Fd TokenCache::lock(const CachedLogin& login, std::chrono::milliseconds wait) {
  const Fd dir = open_directory(directory_, true, warnings_);
  const std::string name = login_file_name(login.cloud, login.tenant, login.client_id) + ".lock";
  const std::string path = directory_ + '/' + name;
  Fd fd(::openat(dir.get(), name.c_str(), O_RDWR | O_CREAT | O_NOFOLLOW | O_CLOEXEC, k_file_mode));
  if (!fd) {
    if (errno == ELOOP) throw refused(fmt::format("{} is a symbolic link; xtsync refuses to follow it", path));
    throw io_error("open the lock file", path, errno);
  }
  const auto until = std::chrono::steady_clock::now() + wait;
  while (::flock(fd.get(), LOCK_EX | LOCK_NB) != 0) {
    if (errno != EWOULDBLOCK && errno != EINTR) throw io_error("lock", path, errno);
    if (std::chrono::steady_clock::now() >= until) {
      Error e(ErrorKind::auth, fmt::format("another xtsync has been renewing the login for tenant {} for over {} s",
                                           login.tenant, wait.count() / 1000));
      e.hint = "try again in a moment";
      throw e;
    }
    util::interruptible_sleep(std::chrono::milliseconds(50));
  }
  return fd;
}

bool TokenCache::remove(const std::string& path) {
  const auto slash = path.rfind('/');
  if (slash == std::string::npos || path.substr(0, slash) != directory_) {
    throw std::logic_error("TokenCache::remove: path outside the cache");
  }
  const std::string name = path.substr(slash + 1);
  const Fd dir = open_directory(directory_, false, warnings_);
  if (!dir) return false;
  if (::unlinkat(dir.get(), name.c_str(), 0) != 0) {
    if (errno == ENOENT) return false;
    throw io_error("remove", path, errno);
  }
  // Drop last-login pointers that name the removed file (or nothing usable any more).
  DIR* stream = ::fdopendir(::dup(dir.get()));
  if (!stream) throw io_error("list", directory_, errno);
  std::vector<std::string> pointers;
  while (const dirent* entry = ::readdir(stream)) {
    if (starts_ends(entry->d_name, k_pointer_prefix)) pointers.emplace_back(entry->d_name);
  }
  ::closedir(stream);
  for (const auto& pointer : pointers) {
    std::string target;
    try {
      const Fd fd = open_in(dir.get(), directory_, pointer);
      if (!fd) continue;
      boost::system::error_code ec;
      const json::value v = json::parse(read_all(fd.get(), directory_ + '/' + pointer), ec);
      if (!ec && v.is_object()) target = util::string_at(v.get_object(), "file");
    } catch (const Error&) {
      // A symlinked or foreign pointer is dropped below; unlinking never follows a link.
    }
    struct stat st {};
    const bool dangling = target.empty() || target.find('/') != std::string::npos ||
                          ::fstatat(dir.get(), target.c_str(), &st, AT_SYMLINK_NOFOLLOW) != 0;
    if (target == name || dangling) ::unlinkat(dir.get(), pointer.c_str(), 0);
  }
  ::fsync(dir.get());
  return true;
}

std::vector<std::string> TokenCache::take_warnings() {
  return std::exchange(warnings_, {});
}

}  // namespace xtsync::auth
