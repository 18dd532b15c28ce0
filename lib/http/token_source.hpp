// Where a bearer token comes from, as the request path sees it: a ready token, or a credential
// that can be asked again. The credential implementations live in auth/.
#pragma once

#include <mutex>
#include <string>

namespace xtsync::http {

class TokenSource {
 public:
  virtual ~TokenSource() = default;
  // A currently valid access token; throws xtsync::Error(auth) when none can be had.
  virtual std::string access_token() = 0;
  // Where the token came from, for messages and --debug (never the token itself).
  virtual std::string describe() const = 0;
  // Forget the current token: Graph rejected it with a claims challenge, so the next
  // access_token() must get a new one.
  virtual void invalidate() {}
  // Whether invalidate() can lead to a different token (a ready-made token cannot change).
  virtual bool can_refresh() const { return false; }
};

// Several connections at once (apply) share one token source: one caller at a time asks it.
class SynchronizedTokenSource final : public TokenSource {
 public:
  explicit SynchronizedTokenSource(TokenSource& inner) : inner_(inner) {}
  std::string access_token() override {
    std::lock_guard lock(mutex_);
    return inner_.access_token();
  }
  std::string describe() const override { return inner_.describe(); }
  void invalidate() override {
    std::lock_guard lock(mutex_);
    inner_.invalidate();
  }
  bool can_refresh() const override { return inner_.can_refresh(); }

 private:
  TokenSource& inner_;
  std::mutex mutex_;
};

}  // namespace xtsync::http
