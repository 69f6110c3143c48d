// guest_memory.cpp: the arena of guest_memory.hpp.
#include "emu/guest_memory.hpp"

#include <fmt/format.h>
#include <sys/mman.h>

#include <stdexcept>

namespace vmmsim::emu {

namespace {
// The return stub: HLT, never executed (an entry stops when EIP reaches it), but a jump there by
// mistake stops too.
constexpr std::uint8_t kHlt = 0xF4;
// Flat descriptors: base 0, limit 0xFFFFF in 4 KiB pages, 32-bit; ring-0 code (execute/read) and
// data (read/write).
constexpr std::uint8_t kCodeDescriptor[8] = {0xFF, 0xFF, 0x00, 0x00, 0x00, 0x9A, 0xCF, 0x00};
constexpr std::uint8_t kDataDescriptor[8] = {0xFF, 0xFF, 0x00, 0x00, 0x00, 0x92, 0xCF, 0x00};
}  // namespace

void GuestMemory::write_fixed() {
  host_[kReturnStub - kArenaBase] = kHlt;
  std::memcpy(at(kGdtBase + kFlatCode), kCodeDescriptor, 8);
  std::memcpy(at(kGdtBase + kFlatData), kDataDescriptor, 8);
}

GuestMemory::GuestMemory() {
  void* p = mmap(nullptr, size(), PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
  if (p == MAP_FAILED) throw std::runtime_error("cannot map the emulated VxD's address space");
  host_ = static_cast<std::uint8_t*>(p);
  write_fixed();
}

void GuestMemory::clear() {
  // MADV_DONTNEED on a private anonymous mapping: the next touch of each page reads zeros. Only the
  // pages the driver touched were ever there, so this costs what they cost.
  if (madvise(host_, size(), MADV_DONTNEED) != 0) throw std::runtime_error("cannot clear the emulated VxD's address space");
  write_fixed();
}

GuestMemory::~GuestMemory() { munmap(host_, size()); }

void GuestMemory::place(const Elf32Image& image) {
  if (!write(image.base, image.bytes.data(), static_cast<std::uint32_t>(image.bytes.size())))
    throw ImageError(fmt::format("{}: does not fit the flat space", image.path));
}

std::uint32_t GuestMemory::new_stack() {
  if (next_stack_ - kStacksBase < kStackSize)
    throw std::runtime_error(fmt::format("no stack left for another engine ({} in use)",
                                         (kArenaEnd - kStacksBase) / kStackSize));
  std::uint32_t top = next_stack_;
  next_stack_ -= kStackSize;
  return top - 16;  // a little headroom above the first push
}

bool GuestMemory::read_string(std::uint32_t address, std::string& out, std::uint32_t limit) const {
  out.clear();
  for (std::uint32_t i = 0; i < limit; ++i) {
    if (!contains(address + i, 1)) return false;
    char c = static_cast<char>(*at(address + i));
    if (c == '\0') return true;
    out.push_back(c);
  }
  return false;
}

}  // namespace vmmsim::emu
