// stack_pool.hpp: fiber stacks for up to millions of simulated threads.
//
// Boost's protected stacks take two memory mappings each (stack + guard page) and stop near 32,000
// fibers under the default vm.max_map_count. Here stacks are carved from large MAP_NORESERVE chunks:
// one mapping per kStacksPerChunk stacks, pages committed by the kernel only when first touched, so
// a thread costs the pages its fiber really uses. Instead of a guard page per stack, a canary sits
// just below each stack and is checked whenever its fiber switches out (Fiber::switch_to).
//
// Where the canary sits matters at a million threads: a fiber touches only the top page of its
// stack, so a canary inside the stack's own lowest page would commit a second page per thread
// (half the resident memory, and half the page faults, which dominate creating that many threads).
// Slots are kStackSize apart and each stack leaves the top kReserved bytes of its slot unused: the
// canary of the stack above lives there, in a page the fiber below touches anyway. The first stack
// of a chunk keeps its canary in a page at the start of the chunk.
//
//   chunk: [head page ..canary0][stack 0 ............ canary1][stack 1 ............ canary2] ...
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

namespace vmmsim::detail {

class StackPool {
 public:
  // 1 MiB of address space: Lua allows 200 nested C calls (LUAI_MAXCCALLS), about 2 KiB each, so a
  // scenario hits Lua's own "C stack overflow" error long before the fiber's stack ends. Only the
  // pages a fiber touches become resident.
  static constexpr std::size_t kStackSize = 1024 * 1024;
  static constexpr std::size_t kStacksPerChunk = 256;  // 256 MiB of address space per mapping
  static constexpr std::uint64_t kCanary = 0x5641564D4D53494DULL;  // "VMMSIMVA"
  // The top of each slot, left to the canary of the next stack (a cache line keeps tops aligned).
  static constexpr std::size_t kReserved = 64;
  // What a fiber may use: from the address allocate() returns up to that plus kUsableSize.
  static constexpr std::size_t kUsableSize = kStackSize - kReserved;

  StackPool() = default;
  ~StackPool();
  StackPool(const StackPool&) = delete;
  StackPool& operator=(const StackPool&) = delete;

  // allocate: the lowest address of a fresh stack of kUsableSize bytes, its canary written below it.
  void* allocate();
  // release: give a stack back for reuse (its committed pages stay, so reuse is free).
  void release(void* stack);
  // canary_intact: false when the fiber on this stack has run past its bottom.
  static bool canary_intact(const void* stack);


 private:
  std::vector<void*> chunks_;
  std::vector<void*> free_;
  std::size_t next_in_chunk_ = kStacksPerChunk;  // index of the next never-used stack in the last chunk
};

}  // namespace vmmsim::detail
