// The on-disk cache of `xtsync login`: one JSON file per (cloud, tenant, client ID) holding the
// access and refresh tokens, plus a pointer per cloud to the last login. The refresh token is
// as good as a password, so the directory is 0700, files are 0600 and written atomically, and
// symlinks or files owned by someone else are refused rather than followed or trusted.
#pragma once

#include <chrono>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "util/fd.hpp"

namespace xtsync::auth {

struct CachedLogin {
  std::string cloud;      // global | usgov | usgov-dod | china
  std::string tenant;     // the tenant ID signed in to
  std::string client_id;  // the public client that holds the refresh token
  std::string access_token;
  std::chrono::system_clock::time_point expires_on;  // of the access token
  std::string refresh_token;
  std::string scope;      // requested again on refresh
  // Domain names the login was asked for (`login --tenant contoso.onmicrosoft.com`), so that
  // name finds the login later as well as the tenant ID the identity platform reported.
  std::vector<std::string> tenant_names;

  // Whether `tenant` (an ID or a domain name, any case) names this login's tenant.
  bool answers_to(const std::string& tenant) const;
};

// What looking up one login found.
struct CacheLookup {
  std::optional<CachedLogin> login;
  std::string path;     // the file looked at
  std::string problem;  // why an existing file is unusable (e.g. not valid JSON); empty otherwise
};

class TokenCache {
 public:
  using Getenv = std::function<std::optional<std::string>(const std::string&)>;

  // $XDG_STATE_HOME/xtsync, else $HOME/.local/state/xtsync. Throws Error(auth) when neither
  // variable gives an absolute path.
  static std::string default_directory(const Getenv& getenv);

  explicit TokenCache(std::string directory);

  const std::string& directory() const { return directory_; }
  // The file a login is kept in, e.g. DIR/login-global-<tenant>-<client>.json.
  std::string path_for(const std::string& cloud, const std::string& tenant, const std::string& client_id) const;

  // The login for exactly this key; no file → no login. Throws Error(auth) for a symlinked or
  // foreign-owned directory or file.
  CacheLookup load(const std::string& cloud, const std::string& tenant, const std::string& client_id);
  // The login for this tenant ID or a domain name it was signed in with, and client.
  CacheLookup find(const std::string& cloud, const std::string& tenant, const std::string& client_id);
  // The login `xtsync login` stored last in this cloud (any tenant and client).
  CacheLookup load_last(const std::string& cloud);
  // Every login file in the cache (unusable ones with `problem` set).
  std::vector<CacheLookup> list();

  // Writes the login atomically (0600 temp file, fsync, rename, fsync dir), creating the
  // directory 0700 as needed, and (unless told not to, as a refresh is) records it as the
  // cloud's last login. Returns the path.
  std::string save(const CachedLogin& login, bool remember_as_last = true);

  // Holds an exclusive advisory lock (flock on the login's .lock file) while the returned
  // descriptor lives, so two processes sharing one login never both redeem, and so rotate
  // away, its refresh token. Waits up to `wait` for another holder; throws Error(auth) then.
  util::Fd lock(const CachedLogin& login, std::chrono::milliseconds wait = std::chrono::seconds(30));

  // Removes the file at `path` (one of this cache's) and the last-login pointer if it names
  // it. Returns false when there was nothing to remove.
  bool remove(const std::string& path);

  // Things the cache fixed on the way (e.g. permissions tightened), for the caller to print.
  // The library itself stays quiet.
  std::vector<std::string> take_warnings();

 private:
  std::string directory_;
  std::vector<std::string> warnings_;
};

}  // namespace xtsync::auth
