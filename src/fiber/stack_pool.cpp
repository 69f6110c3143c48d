#include "fiber/stack_pool.hpp"

#include <sys/mman.h>

#include <cstring>
#include <new>

#if defined(VMMSIM_ASAN)
#include <sanitizer/asan_interface.h>
#endif

namespace vmmsim::detail {

namespace {
constexpr std::size_t kChunkHead = 4096;  // holds the canary of the chunk's first stack
constexpr std::size_t kChunkBytes = kChunkHead + StackPool::kStackSize * StackPool::kStacksPerChunk;

// canary_of: where the canary of the stack whose lowest address is stack sits: just below it.
void* canary_of(void* stack) { return static_cast<char*>(stack) - sizeof StackPool::kCanary; }

// SpareChunks: chunks of the pools that ended on this OS thread, kept for the next pool. The
// explorer makes a machine per schedule, thousands a second: a fresh mapping each time would fault
// in (and the kernel zero) every stack page again. The pages a kept chunk had touched stay
// resident; at most kMaxSpare chunks are kept per OS thread.
constexpr std::size_t kMaxSpare = 2;
struct SpareChunks {
  std::vector<void*> chunks;
  ~SpareChunks() {
    for (void* chunk : chunks) munmap(chunk, kChunkBytes);
  }
};
thread_local SpareChunks spare;
}  // namespace

StackPool::~StackPool() {
  for (void* chunk : chunks_) {
    if (spare.chunks.size() < kMaxSpare) {
#if defined(VMMSIM_ASAN)
      ASAN_UNPOISON_MEMORY_REGION(chunk, kChunkBytes);
#endif
      spare.chunks.push_back(chunk);
    } else {
      munmap(chunk, kChunkBytes);
    }
  }
}

void* StackPool::allocate() {
  void* stack = nullptr;
  if (!free_.empty()) {
    stack = free_.back();
    free_.pop_back();
  } else {
    if (next_in_chunk_ == kStacksPerChunk) {
      void* chunk = nullptr;
      if (!spare.chunks.empty()) {
        chunk = spare.chunks.back();
        spare.chunks.pop_back();
      } else {
        chunk = mmap(nullptr, kChunkBytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
        if (chunk == MAP_FAILED) throw std::bad_alloc();
      }
      chunks_.push_back(chunk);
      next_in_chunk_ = 0;
    }
    stack = static_cast<char*>(chunks_.back()) + kChunkHead + next_in_chunk_ * kStackSize;
    ++next_in_chunk_;
  }
  std::memcpy(canary_of(stack), &kCanary, sizeof kCanary);
  return stack;
}

void StackPool::release(void* stack) {
#if defined(VMMSIM_ASAN)
  // A fiber abandoned mid-call leaves its frames' redzones poisoned; the next fiber must not trip.
  ASAN_UNPOISON_MEMORY_REGION(stack, kUsableSize);
#endif
  free_.push_back(stack);
}

bool StackPool::canary_intact(const void* stack) {
  std::uint64_t value = 0;
  std::memcpy(&value, canary_of(const_cast<void*>(stack)), sizeof value);
  return value == kCanary;
}

}  // namespace vmmsim::detail
