// Ctrl-C and SIGTERM: the signal handler only raises a flag; waits and network I/O check it
// often enough that the command stops within a second and reports what it was doing.
#pragma once

#include <chrono>

namespace xtsync::util {

// Async-signal-safe: the only thing a signal handler calls.
void request_interrupt() noexcept;
bool interrupt_requested() noexcept;
// For tests that interrupt on purpose.
void clear_interrupt() noexcept;

// Sleeps for `duration`, waking every 50 ms; throws Error(interrupted) once an interrupt is requested.
void interruptible_sleep(std::chrono::milliseconds duration);

}  // namespace xtsync::util
