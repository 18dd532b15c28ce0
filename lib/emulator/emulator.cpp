#include "emulator/emulator.hpp"

#include <stdexcept>
#include <system_error>

#include "emulator/graph_response.hpp"

namespace xtsync::emulator {

namespace {

EmulatorOptions prepared(EmulatorOptions options, const IssuedTokens& tokens,
                         std::function<std::optional<http::Response>(const http::Request&, const std::string&)> items) {
  if (!options.graph.clock) options.graph.clock = [] { return Clock::now(); };
  options.graph.issued_tokens = &tokens;
  options.graph.on_batch_item = std::move(items);
  return options;
}

bool is_reset(const http::Request& request) {
  const auto path = target_path(request.url);
  return request.method == "POST" && (path == "/_emulator/reset" || path == "/_emulator/reset/");
}

}  // namespace

Emulator::Emulator(EmulatorOptions options, std::string base_url)
    : options_(prepared(std::move(options), tokens_,
                        [this](const http::Request& item, const std::string& id) { return batch_item(item, id); })),
      log_(options_.request_log_size),
      graph_(state_, options_.graph, base_url),
      identity_(options_.identity, tokens_, options_.graph.clock, base_url),
      control_(state_, faults_, log_, graph_, options_.graph.clock) {
  if (options_.state_file) {
    lock_.emplace(*options_.state_file);
    std::error_code ec;
    // symlink_status: a dangling symlink is "there" too, and load() then says why it fails.
    if (std::filesystem::symlink_status(*options_.state_file, ec).type() != std::filesystem::file_type::not_found) {
      state_ = State::load(*options_.state_file, iso_utc_seconds(options_.graph.clock()));
    }
  }
  saved_revision_ = state_.revision();
}

std::optional<http::Response> Emulator::batch_item(const http::Request& item, const std::string& id) {
  const auto now = options_.graph.clock();
  log_.record(item, connection_, now, id);
  // Only a scripted answer makes sense for one item; the connection belongs to the whole batch.
  const auto fault = faults_.take(item.method, item.url);
  if (!fault || !fault->status) return std::nullopt;
  return fault->response(make_call_context(item, now));
}

Plan Emulator::plan(const http::Request& request, std::uint64_t connection) {
  Plan plan;
  if (is_control_target(request.url)) return plan;
  const auto now = options_.graph.clock();
  log_.record(request, connection, now);
  if (!is_identity_target(request.url)) plan.delay = options_.latency;
  const auto fault = faults_.take(request.method, request.url);
  if (!fault) return plan;
  plan.fault_id = fault->id;
  plan.action = fault->action;
  plan.delay += fault->delay;
  plan.drip = fault->drip;
  switch (fault->action) {
    case FaultAction::respond:
    case FaultAction::close_mid_body:
    case FaultAction::reset_mid_body:
    case FaultAction::drip:
      // Without a status the request is handled for real (after any delay).
      if (fault->status) {
        plan.handle = false;
        plan.response = fault->response(make_call_context(request, now));
      }
      break;
    case FaultAction::close:
      plan.handle = fault->apply;
      break;
    case FaultAction::reset:
      plan.handle = false;
      break;
  }
  return plan;
}

http::Response Emulator::handle(const http::Request& request, std::uint64_t connection) {
  connection_ = connection;
  if (is_identity_control_target(request.url)) return identity_.handle(request);
  if (is_reset(request)) identity_.reset();
  // A copy to roll back to: a change that cannot be saved must not live on in memory only.
  std::optional<State> before;
  if (options_.state_file && request.method != "GET" && request.method != "HEAD") before = state_;
  http::Response response = is_control_target(request.url)    ? control_.handle(request)
                            : is_identity_target(request.url) ? identity_.handle(request)
                                                              : graph_.handle(request);
  try {
    persist();
  } catch (const std::exception& e) {
    if (options_.log) options_.log(std::string("cannot save state, change undone: ") + e.what());
    if (before) state_ = std::move(*before);
    saved_revision_ = state_.revision();
    return graph_error(GraphError(500, "InternalServerError",
                                  std::string("The emulator could not save its state file, so the change "
                                              "was not made: ") +
                                      e.what()),
                       make_call_context(request, options_.graph.clock()));
  }
  return response;
}

void Emulator::persist() {
  if (state_.revision() == saved_revision_) return;
  if (options_.state_file) state_.save(*options_.state_file);
  saved_revision_ = state_.revision();
}

}  // namespace xtsync::emulator
