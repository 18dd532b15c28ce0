// The whole emulator minus the sockets: state, Graph routing, control API, faults, request log
// and persistence. The server asks it what to do with each request.
#pragma once

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include "emulator/control_api.hpp"
#include "emulator/faults.hpp"
#include "emulator/graph_service.hpp"
#include "emulator/identity_service.hpp"
#include "emulator/issued_tokens.hpp"
#include "emulator/request_log.hpp"
#include "emulator/state.hpp"
#include "emulator/state_lock.hpp"
#include "http/message.hpp"

namespace xtsync::emulator {

struct EmulatorOptions {
  GraphOptions graph;  // its clock is the identity platform's too
  IdentityOptions identity;
  // Loaded at start when it exists (a regular file only); rewritten after every change. Locked
  // (StateLock) for the emulator's lifetime.
  std::optional<std::filesystem::path> state_file;
  // How many requests /_emulator/requests keeps (the most recent ones).
  std::size_t request_log_size = k_default_request_log_size;
  // Diagnostics that are not per-request lines, e.g. a failed save.
  std::function<void(std::string_view)> log;
  // Added to every Graph request before it is answered (a batch is one request), as a stand-in
  // for the round trip to Graph.
  std::chrono::milliseconds latency{0};
};

// What the server does with one request, decided when it arrives.
struct Plan {
  FaultAction action = FaultAction::respond;
  std::chrono::milliseconds delay{0};
  std::chrono::milliseconds drip{0};  // FaultAction::drip: pause before each byte
  // After the delay: run Emulator::handle (the request takes effect) to get the response.
  bool handle = true;
  // The scripted response when `handle` is false (unused for a plain close).
  std::optional<http::Response> response;
  std::optional<std::uint64_t> fault_id;
};

class Emulator {
 public:
  // Locks `options.state_file` and loads it if it exists; throws std::runtime_error when another
  // emulator holds it or it cannot be read (a FIFO, a device, too large, not valid state).
  explicit Emulator(EmulatorOptions options, std::string base_url = "http://127.0.0.1");

  void set_base_url(std::string base_url) {
    identity_.set_base_url(base_url);
    graph_.set_base_url(std::move(base_url));
  }
  const std::string& base_url() const noexcept { return graph_.base_url(); }

  State& state() noexcept { return state_; }
  FaultList& faults() noexcept { return faults_; }
  RequestLog& requests() noexcept { return log_; }
  Identity& identity() noexcept { return identity_; }
  IssuedTokens& issued_tokens() noexcept { return tokens_; }

  // Records a Graph or identity request in the log and consumes the first matching fault.
  // Control requests are neither logged nor faulted.
  Plan plan(const http::Request& request, std::uint64_t connection);

  // The normal answer: the control API, the identity endpoints or Graph. Saves the state file
  // when the state changed (once per batch); when that fails the change is undone and the answer
  // is a 500. Each item of a batch is logged and may be faulted like a request of its own.
  http::Response handle(const http::Request& request, std::uint64_t connection = 0);

  // Saves the state file now if the state changed since the last save (e.g. after direct edits).
  // Throws std::runtime_error when it cannot.
  void persist();

 private:
  std::optional<http::Response> batch_item(const http::Request& item, const std::string& id);

  IssuedTokens tokens_;  // before options_, which points Graph at it
  EmulatorOptions options_;
  std::optional<StateLock> lock_;  // taken before the state file is read
  State state_;
  FaultList faults_;
  RequestLog log_;
  Graph graph_;
  Identity identity_;
  ControlApi control_;
  std::uint64_t saved_revision_ = 0;
  std::uint64_t connection_ = 0;  // of the request being handled, for its batch items' log entries
};

}  // namespace xtsync::emulator
