// service_table.hpp: the VMM services vmmsim implements, keyed by the DDK's device id and service
// ordinal (a VxD calls one with INT 20h followed by the dword device_id << 16 | ordinal). The C
// interface (include/vmmsim/vxd.h) exports each under its DDK name; an emulated VxD image resolves
// its VMMCall ordinals here. Ordinals: the Windows 95 DDK's VMM.INC, as public ports of it list them.
#pragma once

#include <cstdint>
#include <span>
#include <string_view>

namespace vmmsim::vxd {

inline constexpr std::uint16_t kVmmDeviceId = 0x0001;
// kVmmsimDeviceId: the device id of vmmsim's own services (vmmsim_log, vmmsim_ring3), which are not
// the DDK's; above the ids VMM.INC assigns to the system's devices.
inline constexpr std::uint16_t kVmmsimDeviceId = 0x7FF0;

struct ServiceEntry {
  std::uint16_t device;
  std::uint16_t ordinal;
  std::string_view name;  // the DDK name, which is also the C function's name in vxd.h
  void (*c_entry)();      // the C function (cast back to its real type by name)
};

std::span<const ServiceEntry> services();
// find: the entry of (device, ordinal), or of a DDK name; nullptr when vmmsim does not implement it.
const ServiceEntry* find(std::uint16_t device, std::uint16_t ordinal);
const ServiceEntry* find(std::string_view name);
// service_id: the dword after INT 20h for an entry.
constexpr std::uint32_t service_id(const ServiceEntry& e) { return std::uint32_t{e.device} << 16 | e.ordinal; }

}  // namespace vmmsim::vxd
