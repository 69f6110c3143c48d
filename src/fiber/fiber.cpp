#include "fiber/fiber.hpp"

#include <boost/context/detail/fcontext.hpp>

#include <cstdio>
#include <cstdlib>

#include "fiber/stack_pool.hpp"

#if defined(VMMSIM_ASAN)
#include <sanitizer/common_interface_defs.h>
#endif
#if defined(VMMSIM_TSAN)
#include <sanitizer/tsan_interface.h>
#endif

namespace ctx = boost::context::detail;

namespace vmmsim::detail {

struct TransferArgs {
  ctx::transfer_t t;
};

namespace {

// The message carried by every jump: who jumped, so the target can store the source's context.
struct Jump {
  Fiber* from;
  Fiber* to;
  bool from_exited;
};

void check_canary(const void* stack) {
  if (stack != nullptr && !StackPool::canary_intact(stack)) {
    std::fputs("vmmsim: a simulated thread overflowed its fiber stack (1 MiB)\n", stderr);
    std::abort();
  }
}

}  // namespace

Fiber::~Fiber() = default;

void Fiber::start(StackPool& pool, Entry entry, void* arg) {
  pool_ = &pool;
  entry_ = entry;
  arg_ = arg;
  stack_ = pool.allocate();
  char* top = static_cast<char*>(stack_) + StackPool::kUsableSize;
  ctx_ = ctx::make_fcontext(top, StackPool::kUsableSize, [](ctx::transfer_t t) {
    TransferArgs args{t};
    Fiber::trampoline(args);
  });
#if defined(VMMSIM_ASAN)
  asan_bottom_ = stack_;
  asan_size_ = StackPool::kUsableSize;
#endif
#if defined(VMMSIM_TSAN)
  tsan_fiber_ = __tsan_create_fiber(0);
#endif
}

void Fiber::release_stack() {
#if defined(VMMSIM_TSAN)
  // Called from another fiber (the one an exited fiber jumped to), never from this one.
  if (tsan_fiber_ != nullptr && !is_main_) {
    __tsan_destroy_fiber(tsan_fiber_);
    tsan_fiber_ = nullptr;
  }
#endif
  if (stack_ != nullptr) {
    pool_->release(stack_);
    stack_ = nullptr;
  }
}

void Fiber::trampoline(TransferArgs args) {
  auto* jump = static_cast<Jump*>(args.t.data);
  Fiber* from = jump->from;
  Fiber* self = jump->to;
#if defined(VMMSIM_ASAN)
  __sanitizer_finish_switch_fiber(nullptr, &from->asan_bottom_, &from->asan_size_);
#endif
  from->ctx_ = args.t.fctx;
  if (jump->from_exited) from->release_stack();
  self->entry_(self->arg_);
  std::fputs("vmmsim: fiber entry returned\n", stderr);  // entries end with exit_to
  std::abort();
}

void Fiber::switch_to(Fiber& next) {
  check_canary(stack_);
  if (!is_main_ && stack_ == nullptr) is_main_ = true;
  Jump jump{this, &next, false};
#if defined(VMMSIM_ASAN)
  __sanitizer_start_switch_fiber(&fake_stack_, next.asan_bottom_, next.asan_size_);
#endif
#if defined(VMMSIM_TSAN)
  // TSan keeps a shadow stack and a clock per fiber: each switch is announced to it, or it would
  // see one thread's stack jump about (and report races between a fiber and itself).
  if (tsan_fiber_ == nullptr) tsan_fiber_ = __tsan_get_current_fiber();  // the main context
  __tsan_switch_to_fiber(next.tsan_fiber_, 0);
#endif
  ctx::transfer_t t = ctx::jump_fcontext(next.ctx_, &jump);
  auto* back = static_cast<Jump*>(t.data);
#if defined(VMMSIM_ASAN)
  const void* bottom = nullptr;
  std::size_t size = 0;
  __sanitizer_finish_switch_fiber(fake_stack_, &bottom, &size);
  if (back->from->is_main_) {
    back->from->asan_bottom_ = bottom;
    back->from->asan_size_ = size;
  }
#endif
  back->from->ctx_ = t.fctx;
  if (back->from_exited) back->from->release_stack();
}

void Fiber::exit_to(Fiber& next) {
  check_canary(stack_);
  exited_ = true;
  Jump jump{this, &next, true};
#if defined(VMMSIM_ASAN)
  __sanitizer_start_switch_fiber(nullptr, next.asan_bottom_, next.asan_size_);
#endif
#if defined(VMMSIM_TSAN)
  __tsan_switch_to_fiber(next.tsan_fiber_, 0);
#endif
  ctx::jump_fcontext(next.ctx_, &jump);
  std::abort();  // an exited fiber is never resumed
}

}  // namespace vmmsim::detail
