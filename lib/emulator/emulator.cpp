#include "emulator/emulator.hpp"

#include <stdexcept>

namespace xtsync::emulator {

namespace {

EmulatorOptions prepared(EmulatorOptions options, const IssuedTokens& tokens) {
  if (!options.graph.clock) options.graph.clock = [] { return Clock::now(); };
  options.graph.issued_tokens = &tokens;
  return options;
}

bool is_reset(const http::Request& request) {
  const auto path = target_path(request.url);
  return request.method == "POST" && (path == "/_emulator/reset" || path == "/_emulator/reset/");
}

}  // namespace

Emulator::Emulator(EmulatorOptions options, std::string base_url)
    : options_(prepared(std::move(options), tokens_)),
      graph_(state_, options_.graph, base_url),
      identity_(options_.identity, tokens_, options_.graph.clock, base_url),
      control_(state_, faults_, log_, options_.graph.clock) {
  if (options_.state_file && std::filesystem::exists(*options_.state_file)) {
    state_ = State::load(*options_.state_file, iso_utc_seconds(options_.graph.clock()));
  }
  saved_revision_ = state_.revision();
}

Plan Emulator::plan(const http::Request& request, std::uint64_t connection) {
  Plan plan;
  if (is_control_target(request.url)) return plan;
  const auto now = options_.graph.clock();
  log_.record(request, connection, now);
  const auto fault = faults_.take(request.method, request.url);
  if (!fault) return plan;
  plan.fault_id = fault->id;
  plan.action = fault->action;
  plan.delay = fault->delay;
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

http::Response Emulator::handle(const http::Request& request) {
  if (is_identity_control_target(request.url)) return identity_.handle(request);
  if (is_reset(request)) identity_.reset();
  http::Response response = is_control_target(request.url)    ? control_.handle(request)
                            : is_identity_target(request.url) ? identity_.handle(request)
                                                              : graph_.handle(request);
  persist();
  return response;
}

void Emulator::persist() {
  if (state_.revision() == saved_revision_) return;
  saved_revision_ = state_.revision();
  if (!options_.state_file) return;
  try {
    state_.save(*options_.state_file);
  } catch (const std::exception& e) {
    if (options_.log) options_.log(std::string("cannot save state: ") + e.what());
  }
}

}  // namespace xtsync::emulator
