// The login cache on disk (permissions, atomic writes, refusals) and the credential built on it.
#include <doctest/doctest.h>
#include <fmt/format.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>

#include "auth/cached_login.hpp"
#include "auth/device_code.hpp"
#include "auth/token_cache.hpp"
#include "error.hpp"
#include "support/fake_transport.hpp"
#include "support/process.hpp"

using namespace xtsync;
using namespace std::chrono_literals;
using xtsync::testing::FakeTransport;
using xtsync::testing::TempDir;

namespace {

const std::string kTenantA = "11111111-1111-1111-1111-111111111111";
const std::string kTenantB = "22222222-2222-2222-2222-222222222222";
const std::string kClient = "14d82eec-204b-4c2f-b7e8-296a70dab67e";
const auto kNow = std::chrono::system_clock::time_point(1'700'000'000s);

unsigned mode_of(const std::string& path) {
  struct stat st {};
  REQUIRE(::lstat(path.c_str(), &st) == 0);
  return st.st_mode & 07777;
}

ino_t inode_of(const std::string& path) {
  struct stat st {};
  REQUIRE(::lstat(path.c_str(), &st) == 0);
  return st.st_ino;
}

std::string slurp(const std::string& path) {
  std::ifstream f(path);
  std::stringstream s;
  s << f.rdbuf();
  return s.str();
}

std::vector<std::string> names_in(const std::string& dir) {
  std::vector<std::string> names;
  for (const auto& e : std::filesystem::directory_iterator(dir)) names.push_back(e.path().filename().string());
  std::sort(names.begin(), names.end());
  return names;
}

auth::CachedLogin login_for(const std::string& tenant, const std::string& refresh = "RT-1",
                            std::chrono::system_clock::time_point expires = kNow + 1h) {
  return {"global", tenant, kClient, fmt::format("AT-{}", tenant.substr(0, 4)), expires, refresh,
          "https://graph.microsoft.com/Policy.ReadWrite.CrossTenantAccess offline_access", {}};
}

template <class F>
Error error_from(F&& f) {
  try {
    f();
  } catch (const Error& e) {
    return e;
  }
  FAIL("no error thrown");
  return Error(ErrorKind::failure, "");
}

// A cache under TMP/state/xtsync, found through XDG_STATE_HOME, and a credential over a fake.
struct CacheFixture {
  TempDir tmp;
  std::map<std::string, std::string> env{{"XDG_STATE_HOME", tmp.path() + "/state"}};
  FakeTransport fake;
  std::chrono::system_clock::time_point clock = kNow;

  std::string dir() const { return tmp.path() + "/state/xtsync"; }
  auth::TokenCache cache() const { return auth::TokenCache(auth::TokenCache::default_directory(getenv())); }
  auth::TokenCache::Getenv getenv() const {
    return [this](const std::string& name) -> std::optional<std::string> {
      auto it = env.find(name);
      return it == env.end() ? std::nullopt : std::optional<std::string>(it->second);
    };
  }
  auth::AuthContext context(const std::string& tenant = {}) {
    auth::AuthContext ctx;
    ctx.cloud = auth::cloud_by_name("global");
    ctx.tenant = tenant;
    ctx.transport = &fake;
    ctx.getenv = getenv();
    ctx.sleep = [](std::chrono::milliseconds) {};
    ctx.now = [this] { return clock; };
    return ctx;
  }
};

}  // namespace

TEST_SUITE_BEGIN("auth");

TEST_CASE("token cache: directory from XDG_STATE_HOME, else HOME, and relative paths ignored") {
  std::map<std::string, std::string> env;
  auto getenv = [&](const std::string& n) -> std::optional<std::string> {
    auto it = env.find(n);
    return it == env.end() ? std::nullopt : std::optional<std::string>(it->second);
  };
  env = {{"XDG_STATE_HOME", "/s"}, {"HOME", "/h"}};
  CHECK(auth::TokenCache::default_directory(getenv) == "/s/xtsync");
  env = {{"XDG_STATE_HOME", "rel"}, {"HOME", "/h"}};
  CHECK(auth::TokenCache::default_directory(getenv) == "/h/.local/state/xtsync");
  env = {{"XDG_STATE_HOME", ""}};
  CHECK(error_from([&] { auth::TokenCache::default_directory(getenv); }).kind() == ErrorKind::auth);
}

TEST_CASE_FIXTURE(CacheFixture, "token cache: created 0700 with 0600 files, and round trip, and last-login pointer") {
  auto c = cache();
  CHECK_FALSE(c.load("global", kTenantA, kClient).login);  // nothing yet, and nothing created
  CHECK_FALSE(std::filesystem::exists(tmp.path() + "/state"));

  const std::string path = c.save(login_for(kTenantA));
  CHECK(path == fmt::format("{}/login-global-{}-{}.json", dir(), kTenantA, kClient));
  CHECK(mode_of(tmp.path() + "/state") == 0700);  // parents made private too
  CHECK(mode_of(dir()) == 0700);
  CHECK(mode_of(path) == 0600);
  CHECK(mode_of(dir() + "/last-login-global.json") == 0600);
  CHECK(c.take_warnings().empty());

  const auto loaded = c.load("global", kTenantA, kClient);
  REQUIRE(loaded.login);
  CHECK(loaded.login->access_token == "AT-1111");
  CHECK(loaded.login->refresh_token == "RT-1");
  CHECK(loaded.login->expires_on == kNow + 1h);
  CHECK(loaded.login->scope == "https://graph.microsoft.com/Policy.ReadWrite.CrossTenantAccess offline_access");
  CHECK(slurp(path).find("\"expires_on\":1700003600") != std::string::npos);

  // Per-tenant files; the pointer follows the last login, per cloud.
  c.save(login_for(kTenantB, "RT-B"));
  CHECK(c.load("global", kTenantA, kClient).login->refresh_token == "RT-1");
  CHECK(c.load("global", kTenantB, kClient).login->refresh_token == "RT-B");
  CHECK(c.load_last("global").login->tenant == kTenantB);
  CHECK_FALSE(c.load_last("usgov").login);
  CHECK_FALSE(c.load("usgov", kTenantA, kClient).login);
  CHECK(c.list().size() == 2);
  // A refresh does not move the pointer.
  c.save(login_for(kTenantA, "RT-2"), /*remember_as_last=*/false);
  CHECK(c.load_last("global").login->tenant == kTenantB);
}

TEST_CASE_FIXTURE(CacheFixture, "token cache: a save replaces the file atomically and leaves no temp file") {
  auto c = cache();
  const std::string path = c.save(login_for(kTenantA, "RT-old"));
  const auto before = inode_of(path);
  c.save(login_for(kTenantA, "RT-new"));
  CHECK(inode_of(path) != before);  // renamed over, not rewritten in place
  CHECK(mode_of(path) == 0600);
  CHECK(c.load("global", kTenantA, kClient).login->refresh_token == "RT-new");
  CHECK(names_in(dir()) ==
        std::vector<std::string>{"last-login-global.json", fmt::format("login-global-{}-{}.json", kTenantA, kClient)});
}

TEST_CASE_FIXTURE(CacheFixture, "token cache: looser permissions are tightened and reported") {
  auto c = cache();
  const std::string path = c.save(login_for(kTenantA));
  ::chmod(dir().c_str(), 0755);
  ::chmod(path.c_str(), 0644);
  CHECK(c.load("global", kTenantA, kClient).login);
  CHECK(mode_of(dir()) == 0700);
  CHECK(mode_of(path) == 0600);
  const auto warnings = c.take_warnings();
  REQUIRE(warnings.size() == 2);
  CHECK(warnings[0].find("from 0755 to 0700") != std::string::npos);
  CHECK(warnings[1].find("from 0644 to 0600") != std::string::npos);
  CHECK(c.take_warnings().empty());
}

TEST_CASE_FIXTURE(CacheFixture, "token cache: a symlinked directory or file is refused") {
  SUBCASE("directory") {
    std::filesystem::create_directories(tmp.path() + "/elsewhere");
    std::filesystem::create_directories(tmp.path() + "/state");
    std::filesystem::create_directory_symlink(tmp.path() + "/elsewhere", dir());
    auto c = cache();
    const Error load = error_from([&] { c.load("global", kTenantA, kClient); });
    CHECK(load.kind() == ErrorKind::auth);
    CHECK(std::string(load.what()).find("symbolic link") != std::string::npos);
    CHECK(error_from([&] { c.save(login_for(kTenantA)); }).kind() == ErrorKind::auth);
    CHECK(std::filesystem::is_empty(tmp.path() + "/elsewhere"));
  }
  SUBCASE("file") {
    auto c = cache();
    const std::string path = c.save(login_for(kTenantA));
    const std::string target = tmp.write("planted.json", slurp(path));
    std::filesystem::remove(path);
    std::filesystem::create_symlink(target, path);
    const Error load = error_from([&] { c.load("global", kTenantA, kClient); });
    CHECK(load.kind() == ErrorKind::auth);
    CHECK(std::string(load.what()).find("symbolic link") != std::string::npos);
    CHECK(error_from([&] { c.save(login_for(kTenantA)); }).kind() == ErrorKind::auth);
    CHECK(error_from([&] { c.load_last("global"); }).kind() == ErrorKind::auth);
  }
}

TEST_CASE_FIXTURE(CacheFixture, "token cache: a file owned by another user is refused") {
  if (::geteuid() != 0) return;  // only root can hand a file to someone else
  auto c = cache();
  const std::string path = c.save(login_for(kTenantA));
  REQUIRE(::chown(path.c_str(), 4242, 4242) == 0);
  const Error e = error_from([&] { c.load("global", kTenantA, kClient); });
  CHECK(e.kind() == ErrorKind::auth);
  CHECK(std::string(e.what()).find("another user") != std::string::npos);
}

TEST_CASE_FIXTURE(CacheFixture, "token cache: corrupt files count as no login, with a reason") {
  auto c = cache();
  const std::string path = c.save(login_for(kTenantA));
  { std::ofstream(path, std::ios::trunc) << "{not json"; }
  const auto lookup = c.load("global", kTenantA, kClient);
  CHECK_FALSE(lookup.login);
  CHECK(lookup.problem.find("unreadable") != std::string::npos);
  CHECK(c.load_last("global").problem.find("unreadable") != std::string::npos);

  const Error e = error_from([&] { auth::CachedLoginCredential(context()).get_token(); });
  CHECK(e.kind() == ErrorKind::auth);
  CHECK(std::string(e.what()).find("not signed in") != std::string::npos);
  CHECK(std::string(e.what()).find("unreadable") != std::string::npos);
}

TEST_CASE_FIXTURE(CacheFixture, "token cache: remove drops the file and a pointer naming it") {
  auto c = cache();
  const std::string a = c.save(login_for(kTenantA));
  const std::string b = c.save(login_for(kTenantB));
  CHECK(c.remove(a));
  CHECK(c.load_last("global").login->tenant == kTenantB);  // pointer names B: kept
  CHECK(c.remove(b));
  CHECK_FALSE(c.remove(b));
  CHECK(names_in(dir()).empty());
}

TEST_CASE_FIXTURE(CacheFixture, "cached login: a fresh token is used without any request") {
  cache().save(login_for(kTenantA, "RT-1", kNow + 10min));
  auth::CachedLoginCredential credential(context());
  CHECK(credential.name() == "device-code");
  const auto token = credential.get_token();
  CHECK(token.value == "AT-1111");
  CHECK(token.expires_on == kNow + 10min);
  CHECK(fake.requests.empty());
}

TEST_CASE_FIXTURE(CacheFixture, "cached login: near expiry it refreshes and stores the rotated refresh token") {
  auto c = cache();
  c.save(login_for(kTenantA, "RT-A", kNow + 4min));
  c.save(login_for(kTenantB, "RT-B"));  // the last login
  fake.respond(200, R"({"access_token":"AT-new","expires_in":3600,"refresh_token":"RT-rotated"})");

  auth::CachedLoginCredential credential(context(kTenantA));
  const auto token = credential.get_token();
  CHECK(token.value == "AT-new");
  CHECK(token.expires_on == kNow + 3600s);
  REQUIRE(fake.requests.size() == 1);
  CHECK(fake.requests[0].url == fmt::format("https://login.microsoftonline.com/{}/oauth2/v2.0/token", kTenantA));
  CHECK(fake.requests[0].body ==
        fmt::format("grant_type=refresh_token&client_id={}&refresh_token=RT-A"
                    "&scope=https%3A%2F%2Fgraph.microsoft.com%2FPolicy.ReadWrite.CrossTenantAccess%20offline_access",
                    kClient));

  const auto stored = c.load("global", kTenantA, kClient).login;
  REQUIRE(stored);
  CHECK(stored->refresh_token == "RT-rotated");
  CHECK(stored->access_token == "AT-new");
  CHECK(c.load_last("global").login->tenant == kTenantB);  // unchanged by the refresh

  // The next call uses the stored token.
  CHECK(auth::CachedLoginCredential(context(kTenantA)).get_token().value == "AT-new");
  CHECK(fake.requests.size() == 1);
}

TEST_CASE_FIXTURE(CacheFixture, "cached login: without a tenant, the cloud's last login is used") {
  cache().save(login_for(kTenantB));
  CHECK(auth::CachedLoginCredential(context()).get_token().value == "AT-2222");
  CHECK(auth::CachedLoginCredential(context("organizations")).get_token().value == "AT-2222");
}

TEST_CASE_FIXTURE(CacheFixture, "cached login: a refused refresh asks for a new login") {
  cache().save(login_for(kTenantA, "RT-A", kNow - 1min));
  fake.respond(400, R"({"error":"invalid_grant","error_description":"AADSTS700082: The refresh token has expired.",)"
                    R"("error_codes":[700082],"trace_id":"t","correlation_id":"c"})");
  const Error e = error_from([&] { auth::CachedLoginCredential(context(kTenantA)).get_token(); });
  CHECK(e.kind() == ErrorKind::auth);
  CHECK(e.graph_code == "invalid_grant");
  CHECK(std::string(e.what()).find("no longer valid") != std::string::npos);
  CHECK(e.hint.find(fmt::format("xtsync login --tenant {}", kTenantA)) != std::string::npos);
  CHECK(std::string(e.what()).find("RT-A") == std::string::npos);
}

TEST_CASE_FIXTURE(CacheFixture, "cached login: nothing cached is 'not signed in' with the login command") {
  const Error any = error_from([&] { auth::CachedLoginCredential(context()).get_token(); });
  CHECK(any.kind() == ErrorKind::auth);
  CHECK(std::string(any.what()).find("not signed in") != std::string::npos);
  CHECK(std::string(any.what()).find("run 'xtsync login'") != std::string::npos);
  CHECK(any.hint.find("--tenant") != std::string::npos);
  const Error one = error_from([&] { auth::CachedLoginCredential(context(kTenantA)).get_token(); });
  CHECK(std::string(one.what()).find(fmt::format("xtsync login --tenant {}", kTenantA)) != std::string::npos);
  CHECK(fake.requests.empty());
}

TEST_SUITE_END();

TEST_CASE("auth::CachedLoginCredential redeems the refresh token after invalidate(), even with a fresh token") {
  xtsync::testing::TempDir tmp;
  xtsync::testing::FakeTransport fake;
  auth::AuthContext ctx;
  ctx.cloud = auth::cloud_by_name("global");
  ctx.tenant = "72f988bf-86f1-41af-91ab-2d7cd011db47";
  ctx.transport = &fake;
  ctx.getenv = [](const std::string&) -> std::optional<std::string> { return std::nullopt; };
  const auto now = std::chrono::system_clock::from_time_t(1'800'000'000);
  ctx.now = [now] { return now; };
  auth::TokenCache cache(tmp.path());
  cache.save({"global", ctx.tenant, std::string(auth::k_default_public_client_id), "AT-old", now + std::chrono::hours(1),
              "RT-1", "https://graph.microsoft.com/Policy.ReadWrite.CrossTenantAccess offline_access", {}});
  auth::CachedLoginCredential credential(ctx, tmp.path());
  CHECK(credential.get_token().value == "AT-old");
  CHECK(fake.requests.empty());
  credential.invalidate();
  fake.respond(200, R"({"token_type":"Bearer","expires_in":3600,"access_token":"AT-new","refresh_token":"RT-2"})");
  CHECK(credential.get_token().value == "AT-new");
  REQUIRE(fake.requests.size() == 1);
  CHECK(fake.requests[0].body.find("grant_type=refresh_token") != std::string::npos);
  CHECK(credential.get_token().value == "AT-new");  // back to using the cache
  CHECK(fake.requests.size() == 1);
}
