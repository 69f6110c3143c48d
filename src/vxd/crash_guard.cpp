// crash_guard.cpp: the fatal-signal handler and the per-OS-thread list of recovery points (see
// crash_guard.hpp for why the handler jumps back onto the faulting fiber).
#include "vxd/crash_guard.hpp"

#include <fmt/format.h>
#include <signal.h>

#include <array>
#include <cstdio>
#include <cstdlib>
#include <mutex>
#include <vector>

#include "core/kernel.hpp"

namespace vmmsim::vxd {

namespace {

constexpr std::array<int, 4> kFatal = {SIGSEGV, SIGBUS, SIGFPE, SIGILL};
struct sigaction g_previous[4];
std::once_flag g_installed;

thread_local Guard* t_top = nullptr;      // the most recently entered recovery point on this OS thread
thread_local std::string t_leave_message;  // what leave_driver was given

// AltStack: the signal stack of this OS thread, so a fault that is a stack overflow is caught too.
// Another one already installed (a sanitizer's) is kept.
struct AltStack {
  std::vector<char> memory;
  bool ours = false;
  AltStack() {
    stack_t old{};
    if (sigaltstack(nullptr, &old) == 0 && (old.ss_flags & SS_DISABLE) == 0) return;
    memory.resize(std::max<std::size_t>(SIGSTKSZ, 64 * 1024));
    stack_t s{};
    s.ss_sp = memory.data();
    s.ss_size = memory.size();
    ours = sigaltstack(&s, nullptr) == 0;
  }
  ~AltStack() {
    if (!ours) return;
    stack_t s{};
    s.ss_flags = SS_DISABLE;
    sigaltstack(&s, nullptr);
  }
};

Guard* innermost() {
  detail::Kernel* k = detail::current_kernel();
  const void* thread = k != nullptr ? static_cast<const void*>(k->current()) : nullptr;
  for (Guard* g = t_top; g != nullptr; g = g->prev)
    if (g->kernel == k && g->thread == thread) return g;
  return nullptr;
}

void on_fatal_signal(int signal, siginfo_t* info, void*) {
  Guard* g = innermost();
  if (g == nullptr) {
    // Not in driver code: vmmsim's own fault. The previous action takes it when the instruction
    // runs again.
    for (std::size_t i = 0; i < kFatal.size(); ++i)
      if (kFatal[i] == signal) sigaction(signal, &g_previous[i], nullptr);
    return;
  }
  g->signal = signal;
  g->address = info->si_addr;
  siglongjmp(g->env, 1);
}

void install() {
  struct sigaction sa {};
  sa.sa_sigaction = on_fatal_signal;
  sa.sa_flags = SA_SIGINFO | SA_ONSTACK;
  sigemptyset(&sa.sa_mask);
  for (std::size_t i = 0; i < kFatal.size(); ++i) sigaction(kFatal[i], &sa, &g_previous[i]);
}

void unlink(Guard& g) {
  if (g.next != nullptr) g.next->prev = g.prev;
  if (g.prev != nullptr) g.prev->next = g.next;
  if (t_top == &g) t_top = g.prev;
  g.prev = g.next = nullptr;
}

const char* signal_name(int signal) {
  switch (signal) {
    case SIGSEGV: return "SIGSEGV";
    case SIGBUS: return "SIGBUS";
    case SIGFPE: return "SIGFPE";
    case SIGILL: return "SIGILL";
  }
  return "a fatal signal";
}

}  // namespace

void enter_guard(Guard& g) {
  std::call_once(g_installed, install);
  thread_local AltStack alt_stack;
  static_cast<void>(alt_stack);
  detail::Kernel* k = detail::current_kernel();
  g.kernel = k;
  g.thread = k != nullptr ? static_cast<const void*>(k->current()) : nullptr;
  g.prev = t_top;
  if (t_top != nullptr) t_top->next = &g;
  t_top = &g;
}

void leave_guard(Guard& g) { unlink(g); }

std::string what_happened(const Guard& g) {
  if (g.signal == 0) return t_leave_message;
  return fmt::format("{} (address {})", signal_name(g.signal), g.address);
}

void leave_driver(std::string message) {
  Guard* g = innermost();
  if (g == nullptr) {
    std::fprintf(stderr, "vmmsim: %s\n", message.c_str());
    std::abort();
  }
  t_leave_message = std::move(message);
  g->signal = 0;
  siglongjmp(g->env, 1);
}

void end_run_with_crash(std::string message) {
  if (detail::Kernel* k = detail::current_kernel(); k != nullptr) k->fail_run(std::move(message));
  throw ThreadKilled{};
}

void forget_guards(const void* kernel) {
  Guard* g = t_top;
  while (g != nullptr) {
    Guard* prev = g->prev;
    if (g->kernel == kernel) unlink(*g);
    g = prev;
  }
}

}  // namespace vmmsim::vxd
