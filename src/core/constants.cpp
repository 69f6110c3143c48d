#include "vmmsim/constants.hpp"

#include <array>
#include <cstdio>

namespace vmmsim {

namespace {
constexpr std::array kConstants = {
    NamedConstant{"PEF_Wait_For_STI", PEF_Wait_For_STI},
    NamedConstant{"PEF_Wait_Not_Crit", PEF_Wait_Not_Crit},
    NamedConstant{"PEF_Dont_Unboost", PEF_Dont_Unboost},
    NamedConstant{"PEF_Always_Sched", PEF_Always_Sched},
    NamedConstant{"PEF_Time_Out", PEF_Time_Out},
    NamedConstant{"PEF_Wait_Not_HW_Int", PEF_Wait_Not_HW_Int},
    NamedConstant{"PEF_Wait_Not_Time_Crit", PEF_Wait_Not_Time_Crit},
    NamedConstant{"PEF_Wait_Not_Nested_Exec", PEF_Wait_Not_Nested_Exec},
    NamedConstant{"PEF_Wait_In_PM", PEF_Wait_In_PM},
    NamedConstant{"PEF_Thread_Event", PEF_Thread_Event},
    NamedConstant{"PEF_Wait_For_Thread_STI", PEF_Wait_For_Thread_STI},
    NamedConstant{"PEF_Ring0_Event", PEF_Ring0_Event},
    NamedConstant{"PEF_Wait_Crit", PEF_Wait_Crit},
    NamedConstant{"PEF_Wait_Crit_VM", PEF_Wait_Crit_VM},
    NamedConstant{"PEF_Process_Last", PEF_Process_Last},
    NamedConstant{"Block_Svc_Ints", Block_Svc_Ints},
    NamedConstant{"Block_Svc_If_Ints_Locked", Block_Svc_If_Ints_Locked},
    NamedConstant{"Block_Enable_Ints", Block_Enable_Ints},
    NamedConstant{"Block_Poll", Block_Poll},
    NamedConstant{"Block_Thread_Idle", Block_Thread_Idle},
    NamedConstant{"Block_Force_Svc_Ints", Block_Force_Svc_Ints},
    NamedConstant{"Reserved_Low_Boost", Reserved_Low_Boost},
    NamedConstant{"Cur_Run_VM_Boost", Cur_Run_VM_Boost},
    NamedConstant{"Low_Pri_Device_Boost", Low_Pri_Device_Boost},
    NamedConstant{"High_Pri_Device_Boost", High_Pri_Device_Boost},
    NamedConstant{"Critical_Section_Boost", Critical_Section_Boost},
    NamedConstant{"Time_Critical_Boost", Time_Critical_Boost},
    NamedConstant{"Reserved_High_Boost", Reserved_High_Boost},
    NamedConstant{"MUTEX_MUST_COMPLETE", MUTEX_MUST_COMPLETE},
    NamedConstant{"MUTEX_NO_CLEANUP_THREAD_STATE", MUTEX_NO_CLEANUP_THREAD_STATE},
};

std::string join_names(std::int64_t flags, std::string_view prefix) {
  std::string out;
  std::int64_t seen = 0;
  for (const auto& c : kConstants) {
    if (!c.name.starts_with(prefix) || (flags & c.value) != c.value || (seen & c.value)) continue;
    if (!out.empty()) out += '|';
    out += c.name;
    seen |= c.value;
  }
  std::int64_t rest = flags & ~seen;
  if (rest != 0) {
    if (!out.empty()) out += '|';
    char buf[32];
    std::snprintf(buf, sizeof buf, "0x%llX", static_cast<unsigned long long>(rest));
    out += buf;
  }
  return out.empty() ? "0" : out;
}
}  // namespace

std::span<const NamedConstant> constants() { return kConstants; }
std::string pef_names(Flags flags) { return join_names(flags, "PEF_"); }
std::string block_names(Flags flags) { return join_names(flags, "Block_"); }

}  // namespace vmmsim
