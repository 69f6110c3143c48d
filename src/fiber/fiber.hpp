// fiber.hpp: one execution context with its own stack: the only code that includes Boost.Context.
//
// A Fiber is either the OS thread's original context (the "main" fiber, made with Fiber()) or a
// context running entry(arg) on a stack from a StackPool. switch_to() saves the current context and
// resumes another; it returns when something switches back. ASan and TSan are told about every switch.
#pragma once

#include <cstddef>

namespace vmmsim::detail {

class StackPool;

class Fiber {
 public:
  using Entry = void (*)(void* arg);

  Fiber() = default;  // the main context: it already runs; its context is captured on first switch
  ~Fiber();
  Fiber(const Fiber&) = delete;
  Fiber& operator=(const Fiber&) = delete;

  // start: prepares entry(arg) to run on a stack from pool when first switched to.
  void start(StackPool& pool, Entry entry, void* arg);
  // switch_to: suspends the calling fiber (which must be *this) and resumes next.
  void switch_to(Fiber& next);
  // exit_to: like switch_to, for a fiber whose entry has finished or is being abandoned: it will
  // never be resumed; next frees its stack.
  [[noreturn]] void exit_to(Fiber& next);

  bool exited() const { return exited_; }
  // release_stack: returns the stack to its pool (only for a fiber that exited or never ran).
  void release_stack();

 private:
  static void trampoline(struct TransferArgs t);

  void* ctx_ = nullptr;    // saved fcontext_t while suspended
  void* stack_ = nullptr;  // lowest address of the stack (from the pool); null for main
  StackPool* pool_ = nullptr;
  Entry entry_ = nullptr;
  void* arg_ = nullptr;
  bool is_main_ = false;
  bool exited_ = false;
#if defined(VMMSIM_ASAN)
  void* fake_stack_ = nullptr;
  const void* asan_bottom_ = nullptr;
  std::size_t asan_size_ = 0;
#endif
#if defined(VMMSIM_TSAN)
  void* tsan_fiber_ = nullptr;  // TSan's fiber for this context (the thread's own for main)
#endif
};

}  // namespace vmmsim::detail
