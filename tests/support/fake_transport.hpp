// A scripted Transport for in-process tests: queue responses, then check what was sent.
// An unexpected request fails the test loudly instead of returning something made up.
#pragma once

#include <deque>
#include <string>
#include <vector>

#include "http/transport.hpp"

namespace xtsync::testing {

class FakeTransport final : public http::Transport {
 public:
  // Queues a response; `headers` like {{"Retry-After", "2"}}.
  FakeTransport& respond(int status, std::string body = {}, http::Headers headers = {});
  // Queues a network failure (xtsync::Error of kind network).
  FakeTransport& fail(std::string message = "connection reset by peer");

  http::Response send(const http::Request& request) override;
  void reset_connection() override { ++resets; }

  std::vector<http::Request> requests;
  int resets = 0;
  bool exhausted() const { return script_.empty(); }

 private:
  struct Step {
    bool failure = false;
    http::Response response;
    std::string message;
  };
  std::deque<Step> script_;
};

}  // namespace xtsync::testing
