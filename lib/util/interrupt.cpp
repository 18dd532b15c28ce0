#include "util/interrupt.hpp"

#include <algorithm>
#include <atomic>
#include <thread>

#include "error.hpp"

namespace xtsync::util {

namespace {
// Lock-free so that storing from a signal handler is safe.
std::atomic<bool> g_interrupted{false};
static_assert(std::atomic<bool>::is_always_lock_free);
}  // namespace

void request_interrupt() noexcept { g_interrupted.store(true, std::memory_order_relaxed); }
bool interrupt_requested() noexcept { return g_interrupted.load(std::memory_order_relaxed); }
void clear_interrupt() noexcept { g_interrupted.store(false, std::memory_order_relaxed); }

void interruptible_sleep(std::chrono::milliseconds duration) {
  const auto until = std::chrono::steady_clock::now() + duration;
  while (true) {
    if (interrupt_requested()) throw Error(ErrorKind::interrupted, "interrupted while waiting to retry");
    const auto now = std::chrono::steady_clock::now();
    if (now >= until) return;
    std::this_thread::sleep_for(std::min<std::chrono::steady_clock::duration>(until - now, std::chrono::milliseconds(50)));
  }
}

}  // namespace xtsync::util
