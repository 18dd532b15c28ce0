// The run of `apply`: JSON batches over several connections, each throttled item retried on
// its own after its own Retry-After, a concurrency window that halves on throttling and grows
// back after clean batches, and lost batch answers reconciled by reading the state back.
#include <algorithm>
#include <atomic>
#include <boost/json.hpp>
#include <condition_variable>
#include <deque>
#include <fmt/format.h>
#include <map>
#include <mutex>
#include <random>
#include <thread>

#include "api/apply.hpp"
#include "graph/graph_error.hpp"
#include "graph/set_plan.hpp"
#include "util/interrupt.hpp"

namespace xtsync::api {

namespace json = boost::json;

namespace {

using Clock = std::chrono::steady_clock;
using std::chrono::milliseconds;

enum class Kind { partner, policy };

struct Task {
  std::size_t item = 0;  // index into plan.items
  Kind kind = Kind::policy;
  int attempt = 0;
  Clock::time_point not_before{};
};

// Batches in a row without a throttled item before the window grows by one again.
constexpr int k_clean_batches_to_grow = 4;

double unit_random() {
  thread_local std::mt19937 gen{std::random_device{}()};
  return std::uniform_real_distribution<double>(0.0, 1.0)(gen);
}

bool shows(const graph::Policy& current, const graph::Policy& sent) {
  return graph::plan_set(current, sent).action == graph::SetAction::unchanged;
}

class Run {
 public:
  Run(const Plan& plan, graph::Client& reader, const RunOptions& options)
      : plan_(plan), reader_(reader), options_(options), outcomes_(plan.items.size()) {
    const auto& o = reader.options();
    policy_ = {o.max_retries, o.max_wait, o.retry_budget, {}};  // item retries show in the progress line
    budget_ = o.shared_budget ? o.shared_budget : std::make_shared<http::RetryBudget>(o.retry_budget);
    parallel_ = std::max(1, options.make_client ? options.parallel : 1);
    window_ = parallel_;
  }

  std::vector<ItemOutcome> go() {
    std::vector<Task> partners, policies;
    for (std::size_t i = 0; i < plan_.items.size(); ++i) {
      const auto& item = plan_.items[i];
      const bool writes = item.action == PlanAction::create || item.action == PlanAction::update ||
                          item.action == PlanAction::remove;
      if (!writes) {
        outcomes_[i].status = item.action == PlanAction::unchanged ? ItemOutcome::Status::done
                                                                   : ItemOutcome::Status::skipped;
        if (item.action == PlanAction::blocked) {
          outcomes_[i].error = Error(ErrorKind::not_found, "partner " + item.tenant + " has no partner configuration");
        }
        continue;
      }
      if (item.create_partner) partners.push_back({i, Kind::partner});
      policies.push_back({i, Kind::policy});
    }
    total_ = partners.size() + policies.size();
    for (int i = 0; i < parallel_; ++i) {
      clients_.push_back(options_.make_client ? options_.make_client() : nullptr);
    }
    // Partner configurations first, in batches of their own: Graph refuses a batch that mixes
    // items depending on others with independent ones.
    phase(std::move(partners));
    std::vector<Task> ready;
    for (auto& task : policies) {
      const auto& partner = partner_outcome_.find(task.item);
      if (partner != partner_outcome_.end() && partner->second.status != ItemOutcome::Status::done) {
        Error why(partner->second.error ? partner->second.error->kind() : ErrorKind::failure,
                  "not attempted: the partner configuration could not be created" +
                      std::string(partner->second.error ? std::string(": ") + partner->second.error->what() : ""));
        settle_skipped(task.item, why);
        continue;
      }
      ready.push_back(task);
    }
    phase(std::move(ready));
    return outcomes_;
  }

 private:
  graph::Client& client_at(int index) { return clients_[static_cast<std::size_t>(index)] ? *clients_[static_cast<std::size_t>(index)] : reader_; }

  void phase(std::vector<Task> tasks) {
    if (tasks.empty()) return;
    {
      std::lock_guard lock(mutex_);
      pending_.assign(tasks.begin(), tasks.end());
      in_flight_ = 0;
    }
    std::atomic<int> running{parallel_};
    std::vector<std::thread> workers;
    for (int i = 0; i < parallel_; ++i) {
      workers.emplace_back([this, i, &running] {
        worker(client_at(i));
        --running;
        cv_.notify_all();
      });
    }
    const auto started = Clock::now();
    while (running > 0) {
      {
        std::unique_lock lock(mutex_);
        cv_.wait_for(lock, milliseconds(200));
        if (util::interrupt_requested() && !stopping_) {
          stopping_ = true;
          cv_.notify_all();
        }
      }
      report_progress(started);
    }
    for (auto& w : workers) w.join();
    report_progress(started);
    // Ctrl-C: what was never sent is reported as not attempted.
    std::lock_guard lock(mutex_);
    for (const auto& task : pending_) {
      record(task, ItemOutcome::Status::skipped,
             Error(ErrorKind::interrupted, "not attempted: interrupted before it was sent"));
    }
    pending_.clear();
  }

  void report_progress(Clock::time_point started) {
    if (!options_.progress) return;
    RunProgress p;
    {
      std::lock_guard lock(mutex_);
      p.total = total_;
      p.done = done_;
      p.failed = failed_;
      p.retries = retries_;
    }
    const double seconds = std::chrono::duration<double>(Clock::now() - started).count();
    p.per_second = seconds > 0 ? static_cast<double>(p.done) / seconds : 0;
    options_.progress(p);
  }

  // Takes up to 20 tasks whose time has come, of one kind.
  std::vector<Task> take_ready(Clock::time_point now) {
    std::vector<Task> batch;
    for (auto it = pending_.begin(); it != pending_.end() && batch.size() < graph::k_max_batch_items;) {
      if (it->not_before <= now && (batch.empty() || batch.front().kind == it->kind)) {
        batch.push_back(*it);
        it = pending_.erase(it);
      } else {
        ++it;
      }
    }
    return batch;
  }

  Clock::time_point next_wake() const {
    Clock::time_point wake = Clock::time_point::max();
    for (const auto& t : pending_) wake = std::min(wake, t.not_before);
    return std::max(wake, pause_until_);
  }

  void worker(graph::Client& client) {
    std::unique_lock lock(mutex_);
    while (true) {
      if (stopping_ || (pending_.empty() && in_flight_ == 0)) return;
      const auto now = Clock::now();
      if (in_flight_ < window_ && now >= pause_until_) {
        auto batch = take_ready(now);
        if (!batch.empty()) {
          ++in_flight_;
          lock.unlock();
          send(client, batch);
          lock.lock();
          --in_flight_;
          cv_.notify_all();
          continue;
        }
      }
      if (pending_.empty()) {
        cv_.wait(lock);
      } else {
        cv_.wait_until(lock, std::max(next_wake(), now + milliseconds(1)));
      }
    }
  }

  graph::BatchItem batch_item(const Task& task, std::size_t index) const {
    const auto& item = plan_.items[task.item];
    graph::BatchItem b;
    b.id = std::to_string(index + 1);
    if (task.kind == Kind::partner) {
      b.method = "POST";
      b.url = graph::Client::partners_path();
      b.body = json::object{{"tenantId", item.tenant}};
      return b;
    }
    b.url = graph::Client::policy_path(item.tenant);
    switch (item.action) {
      case PlanAction::create:
        b.method = "PUT";
        b.body = json::value_from(item.body);
        break;
      case PlanAction::update:
        b.method = "PATCH";
        b.body = json::value_from(item.body);
        break;
      default: b.method = "DELETE"; break;
    }
    return b;
  }

  std::string describe(const Task& task) const {
    const auto& item = plan_.items[task.item];
    if (task.kind == Kind::partner) return "create the partner configuration of " + item.tenant;
    return fmt::format("{} the sync policy of partner {}", action_name(item.action), item.tenant);
  }

  void send(graph::Client& client, const std::vector<Task>& batch) {
    std::vector<graph::BatchItem> items;
    for (std::size_t i = 0; i < batch.size(); ++i) items.push_back(batch_item(batch[i], i));
    std::vector<graph::BatchItemResult> results;
    try {
      results = client.send_batch(items);
    } catch (const Error& e) {
      if (e.kind() == ErrorKind::interrupted) {
        std::lock_guard lock(mutex_);
        stopping_ = true;
        for (const auto& task : batch) {
          record(task, ItemOutcome::Status::skipped,
                 Error(ErrorKind::interrupted, "interrupted while its batch was in flight; it may have been applied"));
        }
        return;
      }
      if (e.kind() == ErrorKind::network && e.delivery != Error::Delivery::not_sent) {
        reconcile(client, batch, e);
        return;
      }
      std::lock_guard lock(mutex_);
      for (const auto& task : batch) retry_or_fail(task, http::transport_failure(false), e, true);
      return;
    }
    const bool throttled = std::any_of(results.begin(), results.end(), [](const auto& r) { return r.status == 429; });
    std::map<std::string, std::size_t> index;
    for (std::size_t i = 0; i < items.size(); ++i) index.emplace(items[i].id, i);
    for (const auto& result : results) {
      const Task& task = batch[index.at(result.id)];
      settle(client, task, items[index.at(result.id)], result);
    }
    std::lock_guard lock(mutex_);
    pace(throttled, client.last_throttle_percentage());
  }

  // One item's answer: done, retried on its own, or failed with Graph's error.
  void settle(graph::Client& client, const Task& task, const graph::BatchItem& sent, const graph::BatchItemResult& r) {
    if (r.ok()) {
      std::lock_guard lock(mutex_);
      record(task, ItemOutcome::Status::done, std::nullopt);
      return;
    }
    const auto code = graph::parse_error_body(r.body).code;
    // Already so: a create that finds the partner or policy there with what was sent, a delete
    // that finds nothing. (A PUT after our own throttled attempt can only meet its own result.)
    bool already = false;
    if (task.kind == Kind::partner && r.status == 409) already = true;
    if (sent.method == "DELETE" && r.status == 404) already = true;
    if (sent.method == "PUT" && r.status == 409 && code == "Request_MultipleObjectsWithSameKeyValue") {
      try {
        const auto now = client.find_policy(plan_.items[task.item].tenant);
        already = now && shows(*now, plan_.items[task.item].body);
      } catch (const Error&) {
        already = false;
      }
    }
    std::lock_guard lock(mutex_);
    if (already) {
      record(task, ItemOutcome::Status::done, std::nullopt);
      return;
    }
    const Error error = graph::error_from_response(graph::as_response(r), describe(task));
    retry_or_fail(task, graph::outcome_of(r), error, sent.method == "DELETE");
  }

  // Under the lock: the retry decision for one item, as for a single request.
  void retry_or_fail(const Task& task, const http::AttemptOutcome& outcome, const Error& error, bool idempotent) {
    const auto decision =
        http::decide_retry(outcome, task.attempt, idempotent ? http::Idempotency::idempotent : http::Idempotency::not_idempotent,
                           policy_, budget_->left(), unit_random());
    if (decision.verdict == http::RetryDecision::Verdict::retry && !stopping_) {
      Task again = task;
      ++again.attempt;
      again.not_before = Clock::now() + decision.delay;  // never before its own Retry-After
      pending_.push_back(again);
      ++retries_;
      cv_.notify_all();
      return;
    }
    Error final_error = error;
    if (!decision.note.empty()) {
      final_error = error.restated(error.kind(), std::string(error.what()) + " (" + decision.note + ")");
      final_error.hint = error.hint;
    }
    record(task, ItemOutcome::Status::failed, final_error);
  }

  // A batch whose answer was lost may have been carried out in part or in whole: read the state
  // and go on from what is really there, never resending what is already done.
  void reconcile(graph::Client& client, const std::vector<Task>& batch, const Error& lost) {
    std::vector<graph::PartnerEntry> live;
    try {
      client.for_each_partner([&](graph::PartnerEntry&& p) { live.push_back(std::move(p)); });
    } catch (const Error& e) {
      std::lock_guard lock(mutex_);
      for (const auto& task : batch) {
        Error error = lost;
        error.hint = "its batch was sent and may have been applied; run 'xtsync apply' again to finish the job";
        record(task, ItemOutcome::Status::failed, error);
      }
      if (e.kind() == ErrorKind::interrupted) stopping_ = true;
      return;
    }
    std::map<std::string, const graph::PartnerEntry*> by_tenant;
    for (const auto& p : live) by_tenant.emplace(p.tenant_id, &p);
    std::lock_guard lock(mutex_);
    for (const auto& task : batch) {
      const auto& item = plan_.items[task.item];
      const auto it = by_tenant.find(item.tenant);
      const graph::PartnerEntry* partner = it == by_tenant.end() ? nullptr : it->second;
      bool satisfied = false;
      if (task.kind == Kind::partner) {
        satisfied = partner != nullptr;
      } else if (item.action == PlanAction::remove) {
        satisfied = !partner || !partner->policy;
      } else {
        satisfied = partner && partner->policy && shows(*partner->policy, item.body);
      }
      if (satisfied) {
        record(task, ItemOutcome::Status::done, std::nullopt);
      } else {
        // Not carried out, so sending it again is safe (counted against --max-retries).
        retry_or_fail(task, http::transport_failure(false), lost, true);
      }
    }
  }

  // Under the lock: fewer batches in flight while Graph throttles, more again after clean ones;
  // past 80 % of a limit (x-ms-throttle-limit-percentage), a short pause before the next batch.
  void pace(bool throttled, std::optional<double> percentage) {
    if (throttled) {
      window_ = std::max(1, window_ / 2);
      clean_streak_ = 0;
    } else if (++clean_streak_ >= k_clean_batches_to_grow && window_ < parallel_) {
      ++window_;
      clean_streak_ = 0;
    }
    if (percentage && *percentage >= 0.8) {
      const auto pause = milliseconds(static_cast<long long>(std::min(1.0, (*percentage - 0.8) / 0.2) * 1000));
      pause_until_ = std::max(pause_until_, Clock::now() + pause);
    }
  }

  void settle_skipped(std::size_t item, const Error& why) {
    std::lock_guard lock(mutex_);
    outcomes_[item].status = ItemOutcome::Status::skipped;
    outcomes_[item].error = why;
  }

  // Under the lock.
  void record(const Task& task, ItemOutcome::Status status, std::optional<Error> error) {
    if (status == ItemOutcome::Status::done) ++done_;
    if (status == ItemOutcome::Status::failed) ++failed_;
    if (task.kind == Kind::partner) {
      partner_outcome_[task.item] = {status, error};
      if (status == ItemOutcome::Status::done) return;  // the policy write comes next
    }
    outcomes_[task.item] = {status, std::move(error)};
  }

  const Plan& plan_;
  graph::Client& reader_;
  const RunOptions& options_;
  http::RetryPolicy policy_;
  std::shared_ptr<http::RetryBudget> budget_;
  int parallel_ = 1;
  std::vector<std::unique_ptr<graph::Client>> clients_;

  std::mutex mutex_;
  std::condition_variable cv_;
  std::deque<Task> pending_;
  int in_flight_ = 0;
  int window_ = 1;
  int clean_streak_ = 0;
  Clock::time_point pause_until_{};
  bool stopping_ = false;
  std::size_t total_ = 0, done_ = 0, failed_ = 0, retries_ = 0;
  std::vector<ItemOutcome> outcomes_;
  std::map<std::size_t, ItemOutcome> partner_outcome_;
};

}  // namespace

std::string_view status_name(ItemOutcome::Status status) noexcept {
  switch (status) {
    case ItemOutcome::Status::done: return "done";
    case ItemOutcome::Status::failed: return "failed";
    case ItemOutcome::Status::skipped: return "skipped";
  }
  return "skipped";
}

std::vector<ItemOutcome> run_plan(const Plan& plan, graph::Client& client, const RunOptions& options) {
  return Run(plan, client, options).go();
}

}  // namespace xtsync::api
