// vmmsim/constants.hpp: the DDK's flag and boost values, by their DDK names.
// Values: VMM.H and VMM.INC of the Windows 95 DDK (the flags, the boosts, Cur_Run_VM_Boost).
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>

namespace vmmsim {

using Flags = std::uint32_t;
using Priority = std::int64_t;

// PEF_* flags of Call_Restricted_Event / Call_Priority_VM_Event (seed 001, seed 003).
inline constexpr Flags PEF_Wait_For_STI = 0x00000001;
inline constexpr Flags PEF_Wait_Not_Crit = 0x00000002;
inline constexpr Flags PEF_Dont_Unboost = 0x00000004;
inline constexpr Flags PEF_Always_Sched = 0x00000008;
inline constexpr Flags PEF_Time_Out = 0x00000010;
inline constexpr Flags PEF_Wait_Not_HW_Int = 0x00000020;
inline constexpr Flags PEF_Wait_Not_Time_Crit = 0x00000020;  // alias of PEF_Wait_Not_HW_Int
inline constexpr Flags PEF_Wait_Not_Nested_Exec = 0x00000040;
inline constexpr Flags PEF_Wait_In_PM = 0x00000080;
inline constexpr Flags PEF_Thread_Event = 0x00000100;
inline constexpr Flags PEF_Wait_For_Thread_STI = 0x00000200;
inline constexpr Flags PEF_Ring0_Event = 0x00000400;
inline constexpr Flags PEF_Wait_Crit = 0x00000800;
inline constexpr Flags PEF_Wait_Crit_VM = 0x00001000;
inline constexpr Flags PEF_Process_Last = 0x00002000;
// Every bit the seeds document; any other bit is reserved (seed 001: "All other values are reserved").
inline constexpr Flags PEF_Known_Mask = 0x00003FFF;

// Block_* flags of _BlockOnID, Wait_Semaphore, Begin_Critical_Section (seed 002, DDK).
inline constexpr Flags Block_Svc_Ints = 0x01;
inline constexpr Flags Block_Svc_If_Ints_Locked = 0x02;
inline constexpr Flags Block_Enable_Ints = 0x04;
inline constexpr Flags Block_Poll = 0x08;
inline constexpr Flags Block_Thread_Idle = 0x10;
inline constexpr Flags Block_Force_Svc_Ints = 0x20;
inline constexpr Flags Block_Known_Mask = 0x3F;

// Execution-priority boosts (seed 001, seed 003; values from VMM.H).
inline constexpr Priority Reserved_Low_Boost = 0x00000001;
inline constexpr Priority Cur_Run_VM_Boost = 0x00000004;
inline constexpr Priority Low_Pri_Device_Boost = 0x00000010;
inline constexpr Priority High_Pri_Device_Boost = 0x00001000;
inline constexpr Priority Critical_Section_Boost = 0x00100000;
inline constexpr Priority Time_Critical_Boost = 0x00400000;

// _CreateMutex flags (DDK "_CreateMutex").
inline constexpr Flags MUTEX_MUST_COMPLETE = 0x00000001;
inline constexpr Flags MUTEX_NO_CLEANUP_THREAD_STATE = 0x00000002;
inline constexpr Priority Reserved_High_Boost = 0x40000000;
// model.md section 3: a priority must stay below 2^31.
inline constexpr Priority Priority_Limit = Priority{1} << 31;

struct NamedConstant {
  std::string_view name;
  std::int64_t value;
};

// constants: every constant above with its DDK name, for bindings and for printing flag sets.
std::span<const NamedConstant> constants();

// pef_names: "PEF_Thread_Event|PEF_Always_Sched" for a flag set (aliases print once).
std::string pef_names(Flags flags);
// block_names: the same for Block_* flags.
std::string block_names(Flags flags);

}  // namespace vmmsim
