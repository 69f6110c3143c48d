// handles.hpp: the 32-bit values an emulated VxD sees for the simulator's handles. A VM, thread,
// event, time-out, semaphore or mutex is a host pointer or a 64-bit generation-counted number in
// vmmsim; in the VMM a handle is a 32-bit linear address (DDK "Get_Cur_VM_Handle": the address of
// the VM's control block, above 0xC0000000). Each host handle gets one such value when the driver
// first sees it, in the order it sees them, so a run gives the same values every time. A value the
// driver made up is refused by name, never turned into a pointer.
#pragma once

#include <cstdint>
#include <string>
#include <unordered_map>
#include <vector>

namespace vmmsim::emu {

enum class HandleKind : std::uint8_t { vm, thread, event, timeout, semaphore, mutex };
inline constexpr int kHandleKinds = 6;
const char* handle_kind_name(HandleKind kind);

class HandleMap {
 public:
  static constexpr std::uint32_t kBase = 0xC1000000;  // in the VMM's shared arena; not guest memory here
  static constexpr std::uint32_t kStride = 0x10;

  // guest: the value for host (0 stays 0).
  std::uint32_t guest(HandleKind kind, std::uint64_t host);
  // host: the handle a value stands for (0 for 0); false when the value is unknown or of another
  // kind, with why saying which.
  bool host(HandleKind kind, std::uint32_t guest, std::uint64_t& host, std::string& why) const;

 private:
  struct Entry {
    HandleKind kind;
    std::uint64_t host;
  };
  std::vector<Entry> entries_;
  std::unordered_map<std::uint64_t, std::uint32_t> index_[kHandleKinds];  // host -> value, per kind
};

}  // namespace vmmsim::emu
