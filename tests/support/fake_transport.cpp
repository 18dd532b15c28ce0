#include "support/fake_transport.hpp"

#include <stdexcept>

#include "error.hpp"

namespace xtsync::testing {

FakeTransport& FakeTransport::respond(int status, std::string body, http::Headers headers) {
  Step step;
  step.response.status = status;
  step.response.reason = status < 300 ? "OK" : "Error";
  step.response.headers = std::move(headers);
  step.response.body = std::move(body);
  script_.push_back(std::move(step));
  return *this;
}

FakeTransport& FakeTransport::fail(std::string message) {
  script_.push_back(Step{true, {}, std::move(message)});
  return *this;
}

http::Response FakeTransport::send(const http::Request& request) {
  requests.push_back(request);
  if (script_.empty()) throw std::logic_error("FakeTransport: unexpected request " + request.method + " " + request.url);
  Step step = std::move(script_.front());
  script_.pop_front();
  if (step.failure) throw Error(ErrorKind::network, step.message);
  return step.response;
}

}  // namespace xtsync::testing
