// guest_memory.hpp: the 32-bit flat address space an emulated VxD runs in, one host mapping that
// every Unicorn engine of the driver maps (uc_mem_map_ptr), so the engines of different simulated
// threads see the same memory, as the threads of one VMM do. Layout (guest addresses):
//   0x00000000-0x0000ffff  unmapped: a NULL dereference faults
//   0x00010000             the return stub: an entered function returns here, which ends the entry
//   0x00010100             the GDT: the VMM's flat ring-0 code and data selectors (kFlatCode, kFlatData)
//   0x00400000             where an ET_DYN image is placed (an ET_EXEC image sits at its own address)
//   0x0c000000-0x10000000  the ring-0 stacks, 64 KiB each, one per engine
// The mapping is MAP_NORESERVE: only the pages the driver touches cost memory.
#pragma once

#include <cstdint>
#include <cstring>
#include <string>

#include "emu/elf32_image.hpp"

namespace vmmsim::emu {

inline constexpr std::uint32_t kArenaBase = 0x00010000;
inline constexpr std::uint32_t kArenaEnd = 0x10000000;
inline constexpr std::uint32_t kReturnStub = kArenaBase;
inline constexpr std::uint32_t kGdtBase = kArenaBase + 0x100;
inline constexpr std::uint32_t kGdtEntries = 7;
// The selectors Windows 95's VMM runs VxD code with: flat 4 GB ring-0 code and data (GDT entries 5, 6).
inline constexpr std::uint16_t kFlatCode = 0x28;
inline constexpr std::uint16_t kFlatData = 0x30;
inline constexpr std::uint32_t kImageBase = 0x00400000;
inline constexpr std::uint32_t kStacksBase = 0x0c000000;
inline constexpr std::uint32_t kStackSize = 0x10000;

class GuestMemory {
 public:
  GuestMemory();
  ~GuestMemory();
  GuestMemory(const GuestMemory&) = delete;
  GuestMemory& operator=(const GuestMemory&) = delete;

  static LoadWindow image_window() { return {kImageBase, kStacksBase, kImageBase}; }
  // place: copies a loaded image to its addresses.
  void place(const Elf32Image& image);
  // clear: every page back to zero, as a new mapping has them (the return stub and the GDT again);
  // the stacks given out stay given.
  void clear();
  // same_bytes: whether [address, address + bytes) holds data.
  bool same_bytes(std::uint32_t address, const std::uint8_t* data, std::uint32_t bytes) const {
    return contains(address, bytes) && std::memcmp(at(address), data, bytes) == 0;
  }
  // new_stack: the top of a fresh 64 KiB stack; throws std::runtime_error when none is left.
  std::uint32_t new_stack();

  void* host() const { return host_; }
  std::size_t size() const { return kArenaEnd - kArenaBase; }
  bool contains(std::uint32_t address, std::uint32_t bytes) const {
    return address >= kArenaBase && address <= kArenaEnd && kArenaEnd - address >= bytes;
  }
  // read / write: false when [address, address + 4) is not in the arena.
  bool read32(std::uint32_t address, std::uint32_t& value) const {
    if (!contains(address, 4)) return false;
    std::memcpy(&value, at(address), 4);
    return true;
  }
  bool write32(std::uint32_t address, std::uint32_t value) {
    if (!contains(address, 4)) return false;
    std::memcpy(at(address), &value, 4);
    return true;
  }
  bool write(std::uint32_t address, const void* data, std::uint32_t bytes) {
    if (!contains(address, bytes)) return false;
    std::memcpy(at(address), data, bytes);
    return true;
  }
  // read_string: the NUL-terminated string at address, at most limit bytes; false when it leaves
  // the arena or is longer.
  bool read_string(std::uint32_t address, std::string& out, std::uint32_t limit = 4096) const;

 private:
  std::uint8_t* at(std::uint32_t address) const { return host_ + (address - kArenaBase); }
  void write_fixed();  // the return stub and the GDT
  std::uint8_t* host_ = nullptr;
  std::uint32_t next_stack_ = kArenaEnd;
};

}  // namespace vmmsim::emu
