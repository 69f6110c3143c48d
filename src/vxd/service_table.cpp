// service_table.cpp: the table of service_table.hpp, in ordinal order.
#include "vxd/service_table.hpp"

#include <algorithm>
#include <array>

#include "vmmsim/vxd.h"

namespace vmmsim::vxd {

namespace {

template <class F>
ServiceEntry entry(std::uint16_t ordinal, std::string_view name, F* fn, std::uint16_t device = kVmmDeviceId) {
  return ServiceEntry{device, ordinal, name, reinterpret_cast<void (*)()>(fn)};
}

const std::array kServices = {
    entry(0x0001, "Get_Cur_VM_Handle", ::Get_Cur_VM_Handle),
    entry(0x0003, "Get_Sys_VM_Handle", ::Get_Sys_VM_Handle),
    entry(0x0004, "Test_Sys_VM_Handle", ::Test_Sys_VM_Handle),
    entry(0x000E, "Schedule_Global_Event", ::Schedule_Global_Event),
    entry(0x000F, "Schedule_VM_Event", ::Schedule_VM_Event),
    entry(0x0010, "Call_Global_Event", ::Call_Global_Event),
    entry(0x0011, "Call_VM_Event", ::Call_VM_Event),
    entry(0x0012, "Cancel_Global_Event", ::Cancel_Global_Event),
    entry(0x0013, "Cancel_VM_Event", ::Cancel_VM_Event),
    entry(0x0014, "Call_Priority_VM_Event", ::Call_Priority_VM_Event),
    entry(0x0015, "Cancel_Priority_VM_Event", ::Cancel_Priority_VM_Event),
    entry(0x0019, "Call_When_VM_Ints_Enabled", ::Call_When_VM_Ints_Enabled),
    entry(0x001E, "Adjust_Exec_Priority", ::Adjust_Exec_Priority),
    entry(0x001F, "Begin_Critical_Section", ::Begin_Critical_Section),
    entry(0x0020, "End_Critical_Section", ::End_Critical_Section),
    entry(0x0021, "End_Crit_And_Suspend", ::End_Crit_And_Suspend),
    entry(0x0022, "Claim_Critical_Section", ::Claim_Critical_Section),
    entry(0x0024, "Call_When_Not_Critical", ::Call_When_Not_Critical),
    entry(0x0025, "Create_Semaphore", ::Create_Semaphore),
    entry(0x0027, "Wait_Semaphore", ::Wait_Semaphore),
    entry(0x0028, "Signal_Semaphore", ::Signal_Semaphore),
    entry(0x0029, "Get_Crit_Section_Status", ::Get_Crit_Section_Status),
    entry(0x002B, "Suspend_VM", ::Suspend_VM),
    entry(0x002C, "Resume_VM", ::Resume_VM),
    entry(0x002D, "No_Fail_Resume_VM", ::No_Fail_Resume_VM),
    entry(0x0038, "Release_Time_Slice", ::Release_Time_Slice),
    entry(0x0039, "Wake_Up_VM", ::Wake_Up_VM),
    entry(0x003A, "Call_When_Idle", ::Call_When_Idle),
    entry(0x003C, "Set_Global_Time_Out", ::Set_Global_Time_Out),
    entry(0x003D, "Set_VM_Time_Out", ::Set_VM_Time_Out),
    entry(0x003E, "Cancel_Time_Out", ::Cancel_Time_Out),
    entry(0x003F, "Get_System_Time", ::Get_System_Time),
    entry(0x0083, "Begin_Nest_Exec", ::Begin_Nest_Exec),
    entry(0x0084, "Exec_Int", ::Exec_Int),
    entry(0x0085, "Resume_Exec", ::Resume_Exec),
    entry(0x0086, "End_Nest_Exec", ::End_Nest_Exec),
    entry(0x00FA, "_BlockOnID", ::_BlockOnID),
    entry(0x00FB, "Schedule_Thread_Event", ::Schedule_Thread_Event),
    entry(0x00FC, "Cancel_Thread_Event", ::Cancel_Thread_Event),
    entry(0x00FD, "Set_Thread_Time_Out", ::Set_Thread_Time_Out),
    entry(0x00FE, "Set_Async_Time_Out", ::Set_Async_Time_Out),
    entry(0x0101, "_CreateMutex", ::_CreateMutex),
    entry(0x0102, "_DestroyMutex", ::_DestroyMutex),
    entry(0x0103, "_GetMutexOwner", ::_GetMutexOwner),
    entry(0x0108, "Get_Cur_Thread_Handle", ::Get_Cur_Thread_Handle),
    entry(0x0114, "Adjust_Thread_Exec_Priority", ::Adjust_Thread_Exec_Priority),
    entry(0x0127, "_SignalID", ::_SignalID),
    entry(0x012E, "_EnterMutex", ::_EnterMutex),
    entry(0x012F, "_LeaveMutex", ::_LeaveMutex),
    entry(0x015A, "Call_Restricted_Event", ::Call_Restricted_Event),
    entry(0x015B, "Cancel_Restricted_Event", ::Cancel_Restricted_Event),
    // The simulation's own services (vmmsim/vxd.h's last section), for emulated images.
    entry(0x0001, "vmmsim_log", ::vmmsim_log, kVmmsimDeviceId),
    entry(0x0002, "vmmsim_ring3", ::vmmsim_ring3, kVmmsimDeviceId),
};

}  // namespace

std::span<const ServiceEntry> services() { return kServices; }

const ServiceEntry* find(std::uint16_t device, std::uint16_t ordinal) {
  auto it = std::lower_bound(kServices.begin(), kServices.end(), std::pair{device, ordinal},
                             [](const ServiceEntry& e, const std::pair<std::uint16_t, std::uint16_t>& key) {
                               return std::pair{e.device, e.ordinal} < key;
                             });
  return it != kServices.end() && it->device == device && it->ordinal == ordinal ? &*it : nullptr;
}

const ServiceEntry* find(std::string_view name) {
  for (const ServiceEntry& e : kServices)
    if (e.name == name) return &e;
  return nullptr;
}

}  // namespace vmmsim::vxd
