#include "http/send.hpp"

#include <fmt/format.h>

#include <random>

#include "error.hpp"
#include "http/decorate.hpp"
#include "http/redirect.hpp"
#include "util/guid.hpp"
#include "util/interrupt.hpp"

namespace xtsync::http {

namespace {

using std::chrono::milliseconds;

bool is_safe_method(std::string_view method) {
  return method == "GET" || method == "HEAD";
}

// What Ctrl-C left behind: a read changed nothing; a write already on the wire may have been
// applied, so the user is told to look rather than assume.
Error interrupted(std::string_view method, std::string_view what, bool on_the_wire) {
  std::string message = fmt::format("interrupted before the server answered: could not {}", what);
  const bool maybe = !is_safe_method(method) && on_the_wire;
  message += maybe ? "; the request had been sent, so the server may have applied it"
                   : "; this request changed nothing";
  Error error(ErrorKind::interrupted, message);
  if (maybe) error.hint = "check the current state with 'xtsync get' before running it again";
  return error;
}

double unit_random() {
  thread_local std::mt19937 gen{std::random_device{}()};
  return std::uniform_real_distribution<double>(0.0, 1.0)(gen);
}

}  // namespace

RetryBudget::RetryBudget(milliseconds total)
    : total_(total), end_(std::chrono::steady_clock::now() + total) {}

milliseconds RetryBudget::left() const {
  const auto left = std::chrono::duration_cast<milliseconds>(end_ - std::chrono::steady_clock::now());
  return std::max(left, milliseconds(0));
}

Exchange send_with_retries(Transport& transport, Request request, const RetryPolicy& policy, const Call& call,
                           const Sleeper& sleep, RetryBudget& budget) {
  Exchange exchange;
  exchange.client_request_id = util::new_guid();
  decorate(request, exchange.client_request_id);
  const Url home = parse_url(request.url);
  const std::string method = request.method;
  bool at_home = true;  // false once a redirect left the call's origin: the token stays home
  bool reauthenticated = false;
  int redirects = 0;
  const auto wait = [&](milliseconds delay) {
    try {
      sleep(delay);
    } catch (const Error& e) {
      if (e.kind() == ErrorKind::interrupted)
        throw interrupted(method, call.what, exchange.maybe_applied_before);
      throw;
    }
  };

  for (int attempt = 0;; ++attempt) {
    mark_attempt(request, attempt);
    if (call.bearer && at_home)
      set_header(request.headers, "Authorization", "Bearer " + call.bearer->access_token());
    exchange.attempts = attempt + 1;

    // A Ctrl-C that landed anywhere before this point (a parse, a prompt, a token request)
    // stops the command here, before anything more goes out.
    if (util::interrupt_requested()) throw interrupted(method, call.what, exchange.maybe_applied_before);
    Response response;
    try {
      response = transport.send(request);
    } catch (const Error& e) {
      if (e.kind() == ErrorKind::interrupted) throw interrupted(method, call.what, true);
      if (e.kind() != ErrorKind::network) throw;
      const bool sent = e.delivery != Error::Delivery::not_sent;
      const bool stale = e.delivery == Error::Delivery::stale_connection;
      const auto decision = decide_retry(transport_failure(sent, stale), attempt, call.idempotency, policy,
                                         budget.left(), unit_random());
      if (decision.verdict != RetryDecision::Verdict::retry) throw;
      // The lost request may have reached the server; callers that can tell (DELETE → 404) use this.
      if (sent && !is_safe_method(request.method)) exchange.maybe_applied_before = true;
      transport.reset_connection();
      if (policy.on_retry) policy.on_retry({0, decision.delay, attempt + 1, policy.max_retries, request.url});
      wait(decision.delay);
      continue;
    }

    // A read that completed changed nothing; stop before its answer is acted on.
    if (is_safe_method(request.method) && util::interrupt_requested()) {
      throw interrupted(method, call.what, exchange.maybe_applied_before);
    }
    if (call.bearer && at_home && !reauthenticated && call.bearer->can_refresh() &&
        is_claims_challenge(response)) {
      reauthenticated = true;
      call.bearer->invalidate();
      continue;
    }
    if (auto step = redirect_step(request, response, home, call.what)) {
      if (++redirects > k_max_redirects) {
        throw Error(ErrorKind::failure,
                    fmt::format("cannot {}: more than {} redirects", call.what, k_max_redirects));
      }
      at_home = at_home && !step->leaves_home;
      request = std::move(step->next);
      --attempt;  // a redirect is not a retry
      continue;
    }

    const auto decision =
        decide_retry(outcome_of(response), attempt, call.idempotency, policy, budget.left(), unit_random());
    if (decision.verdict != RetryDecision::Verdict::retry) {
      if (decision.verdict == RetryDecision::Verdict::exhausted) exchange.gave_up = decision.note;
      exchange.response = std::move(response);
      return exchange;
    }
    if (decision.new_connection) transport.reset_connection();
    if (policy.on_retry) {
      policy.on_retry({response.status, decision.delay, attempt + 1, policy.max_retries, request.url});
    }
    wait(decision.delay);
  }
}

Sender::Sender(Transport& transport, RetryPolicy policy, Sleeper sleep, std::shared_ptr<RetryBudget> budget)
    : transport_(transport),
      policy_(policy),
      sleep_(sleep ? std::move(sleep) : Sleeper(util::interruptible_sleep)),
      budget_(budget ? std::move(budget) : std::make_shared<RetryBudget>(policy.budget)) {}

Exchange Sender::send(Request request, const Call& call) {
  return send_with_retries(transport_, std::move(request), policy_, call, sleep_, *budget_);
}

}  // namespace xtsync::http
