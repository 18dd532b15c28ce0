// The one request path every outgoing call takes, Graph and identity platform alike:
// decorate once, then attempt → redirect step → retry decision → wait, until an answer is final.
// Shaped after google-cloud-cpp's RestRetryLoop: the policy, the idempotency of the call and the
// way to wait are arguments, so each part can be tested on its own.
#pragma once

#include <chrono>
#include <functional>
#include <memory>
#include <string>

#include "http/message.hpp"
#include "http/retry.hpp"
#include "http/token_source.hpp"
#include "http/transport.hpp"

namespace xtsync::http {

// How to wait between attempts; throws Error(interrupted) when Ctrl-C cuts the wait short.
using Sleeper = std::function<void(std::chrono::milliseconds)>;

// The waiting time one command may spend on retries, shared by all of its calls.
class RetryBudget {
 public:
  explicit RetryBudget(std::chrono::milliseconds total);
  std::chrono::milliseconds total() const noexcept { return total_; }
  std::chrono::milliseconds left() const;

 private:
  std::chrono::milliseconds total_;
  std::chrono::steady_clock::time_point end_;
};

struct Call {
  std::string what;  // names the call in messages: "read the sync policy of partner …"
  Idempotency idempotency = Idempotency::idempotent;
  // Adds "Authorization: Bearer …" to every attempt that stays at the call's origin, and gets
  // one new token after a claims challenge.
  TokenSource* bearer = nullptr;
};

struct Exchange {
  Response response;
  std::string client_request_id;  // the one every attempt carried
  int attempts = 1;
  // An earlier attempt was lost after it may have reached the server (a resent DELETE that
  // finds nothing then means the first one did the work).
  bool maybe_applied_before = false;
  // Non-empty when `response` is a failure worth repeating that was not repeated, and why
  // ("gave up after 5 attempts").
  std::string gave_up;
};

// Sends `request` until the answer is final. Transport failures that are not retried are
// rethrown; Ctrl-C becomes Error(interrupted) saying whether the call may have changed anything.
// Redirects (at most k_max_redirects) are not retries.
Exchange send_with_retries(Transport& transport, Request request, const RetryPolicy& policy, const Call& call,
                           const Sleeper& sleep, RetryBudget& budget);

// The request path with its fixed parts bound: what Graph and identity code hold.
class Sender {
 public:
  Sender(Transport& transport, RetryPolicy policy, Sleeper sleep,
         std::shared_ptr<RetryBudget> budget = nullptr);

  Exchange send(Request request, const Call& call);

  Transport& transport() noexcept { return transport_; }
  const RetryPolicy& policy() const noexcept { return policy_; }
  RetryBudget& budget() noexcept { return *budget_; }
  const Sleeper& sleeper() const noexcept { return sleep_; }

 private:
  Transport& transport_;
  RetryPolicy policy_;
  Sleeper sleep_;
  std::shared_ptr<RetryBudget> budget_;
};

}  // namespace xtsync::http
