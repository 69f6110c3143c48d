// interrupt.cpp: InterruptGuard (interrupt.hpp). The handler does only what a signal handler may:
// store to a lock-free atomic and a sig_atomic_t; on the second signal, restore the default action
// and raise it again.
#include "interrupt.hpp"

#include <csignal>

namespace vmmsim::command {

namespace {

std::atomic<bool> g_flag{false};
volatile std::sig_atomic_t g_signal = 0;
struct sigaction g_old_int, g_old_term;

void on_signal(int sig) {
  if (g_flag.load()) {
    std::signal(sig, SIG_DFL);
    std::raise(sig);
    return;
  }
  g_signal = sig;
  g_flag.store(true);
}

}  // namespace

InterruptGuard::InterruptGuard() {
  static_assert(std::atomic<bool>::is_always_lock_free);
  g_flag.store(false);
  struct sigaction sa {};
  sa.sa_handler = on_signal;
  sigemptyset(&sa.sa_mask);
  sigaction(SIGINT, &sa, &g_old_int);
  sigaction(SIGTERM, &sa, &g_old_term);
}

InterruptGuard::~InterruptGuard() {
  sigaction(SIGINT, &g_old_int, nullptr);
  sigaction(SIGTERM, &g_old_term, nullptr);
}

const std::atomic<bool>* InterruptGuard::flag() const { return &g_flag; }

const char* InterruptGuard::signal_name() const { return g_signal == SIGTERM ? "SIGTERM" : "SIGINT"; }

}  // namespace vmmsim::command
