#include "auth/credential.hpp"

#include <stdexcept>

#include "util/interrupt.hpp"

namespace xtsync::auth {

http::Exchange AuthContext::send(http::Request request, const http::Call& call) const {
  if (!transport) throw std::logic_error("AuthContext has no transport");
  const http::Sleeper wait = sleep ? sleep : http::Sleeper(util::interruptible_sleep);
  if (retry_budget)
    return http::send_with_retries(*transport, std::move(request), retry, call, wait, *retry_budget);
  http::RetryBudget budget(retry.budget);
  return http::send_with_retries(*transport, std::move(request), retry, call, wait, budget);
}

}  // namespace xtsync::auth
