// api_program.cpp: run_api_program (api_program.hpp).
//
// Layout of the input: byte 0 the number of System VM threads (1-4), byte 1 of VMs (0-2), byte 2
// the number of objects made at set-up; then operations, one opcode byte and its arguments each,
// read by whichever body, callback or handler runs next. Handles come from pools of real ones
// (threads and VMs, finished ones too, and null) or, for the integer handles, as raw 64-bit values
// half the time, so stale, foreign and never-issued handles are all tried.
#include "api_program.hpp"

#include <array>
#include <memory>
#include <vector>

#include "vmmsim/vmmsim.hpp"

namespace vmmsim::fuzz {

namespace {

class Cursor {
 public:
  Cursor(const std::uint8_t* data, std::size_t size) : data_(data), size_(size) {}
  bool done() const { return pos_ >= size_; }
  std::uint8_t u8() { return pos_ < size_ ? data_[pos_++] : 0; }
  std::uint32_t u32() {
    std::uint32_t v = 0;
    for (int i = 0; i < 4; ++i) v = v << 8 | u8();
    return v;
  }
  std::uint64_t u64() { return std::uint64_t{u32()} << 32 | u32(); }

 private:
  const std::uint8_t* data_;
  std::size_t size_;
  std::size_t pos_ = 0;
};

constexpr std::array<Priority, 10> kBoosts = {0, Reserved_Low_Boost, Low_Pri_Device_Boost, High_Pri_Device_Boost,
                                              Critical_Section_Boost, Time_Critical_Boost, Reserved_High_Boost,
                                              -Low_Pri_Device_Boost, 0x7FFFFFFF, -1};
constexpr std::array<double, 8> kTimes = {0, 0.5, 1, 2, 5, 20, -1, 1e9};

struct Program {
  Cursor in;
  std::vector<THREADHANDLE> threads{nullptr};
  std::vector<VMHANDLE> vms{nullptr};
  std::vector<std::uint64_t> handles{0};  // events, time-outs, semaphores, mutexes handed out
  int depth = 0;                          // callbacks inside callbacks

  Program(const std::uint8_t* data, std::size_t size) : in(data, size) {}

  Priority boost() { return kBoosts[in.u8() % kBoosts.size()]; }
  double ms() { return kTimes[in.u8() % kTimes.size()]; }
  Flags flags() {
    std::uint8_t how = in.u8();
    if (how < 200) return in.u32() & PEF_Known_Mask;
    return in.u32();  // unknown bits too
  }
  Flags block_flags() { return in.u8() < 240 ? in.u8() & Block_Known_Mask : in.u32(); }
  THREADHANDLE thread() { return threads[in.u8() % threads.size()]; }
  VMHANDLE vm() { return vms[in.u8() % vms.size()]; }
  std::uint64_t handle() {
    if (in.u8() & 1) return in.u64();
    return handles[in.u8() % handles.size()];
  }
  void keep(std::uint64_t h) {
    if (h != 0 && handles.size() < 64) handles.push_back(h);
  }
  EventTarget target() {
    switch (in.u8() % 4) {
      case 0: return EventTarget{};
      case 1: return vm();
      case 2: return thread();
      default: return EventTarget(static_cast<int>(in.u8()));  // 0 or an invalid integer
    }
  }
  EventCallback callback() {
    int ops = in.u8() % 4;
    return [this, ops](const EventContext&) { nested(ops); };
  }
  void nested(int ops) {
    if (depth >= 3) return;
    ++depth;
    for (int i = 0; i < ops && !in.done(); ++i) step();
    --depth;
  }

  // step: one operation. A ServiceError is the service refusing a misuse: the driver goes on.
  void step() {
    std::uint8_t op = in.u8();
    try {
      switch (op % 40) {
        case 0: ring3(ms()); break;
        case 1: hw_int(ms()); break;
        case 2: { Priority b = boost(); EventTarget t = target(); Flags f = flags(); keep(Call_Restricted_Event(b, t, f, in.u8(), callback(), ms())); break; }
        case 3: { Priority b = boost(); VMHANDLE v = vm(); Flags f = flags(); keep(Call_Priority_VM_Event(b, v, f, in.u8(), callback(), ms())); break; }
        case 4: keep(Call_Global_Event(callback(), 0)); break;
        case 5: keep(Schedule_Global_Event(callback(), 0)); break;
        case 6: { VMHANDLE v = vm(); keep(Schedule_VM_Event(v, callback(), 0)); break; }
        case 7: { THREADHANDLE t = thread(); keep(Schedule_Thread_Event(t, callback(), 0)); break; }
        case 8: Cancel_Restricted_Event(handle()); break;
        case 9: Cancel_Priority_VM_Event(handle()); break;
        case 10: Cancel_Global_Event(handle()); break;
        case 11: { VMHANDLE v = vm(); Cancel_VM_Event(v, handle()); break; }
        case 12: { THREADHANDLE t = thread(); Cancel_Thread_Event(t, handle()); break; }
        case 13: Call_When_Not_Critical(callback(), 0); break;
        case 14: Call_When_VM_Ints_Enabled(callback(), 0); break;
        case 15: { Priority b = boost(); Adjust_Exec_Priority(b, vm()); break; }
        case 16: { Priority b = boost(); Adjust_Thread_Exec_Priority(b, thread()); break; }
        case 17: Begin_Critical_Section(block_flags()); break;
        case 18: End_Critical_Section(); break;
        case 19: { std::int64_t n = in.u8() % 4; Claim_Critical_Section(n, block_flags()); break; }
        case 20: End_Crit_And_Suspend(); break;
        case 21: { BlockId id = in.u8() % 4; _BlockOnID(id, block_flags()); break; }
        case 22: _SignalID(in.u8() % 4); break;
        case 23: keep(Create_Semaphore(static_cast<std::int8_t>(in.u8()))); break;
        case 24: { std::uint64_t s = handle(); Wait_Semaphore(s, block_flags()); break; }
        case 25: Signal_Semaphore(handle()); break;
        case 26: { Priority b = boost(); keep(_CreateMutex(b, in.u8() & 3)); break; }
        case 27: { std::uint64_t m = handle(); _EnterMutex(m, block_flags()); break; }
        case 28: _LeaveMutex(handle()); break;
        case 29: Suspend_VM(vm()); break;
        case 30: if (in.u8() & 1) Resume_VM(vm()); else No_Fail_Resume_VM(vm()); break;
        case 31: Begin_Nest_Exec(); break;
        case 32: { double t = ms(); if (in.u8() & 1) Resume_Exec(t); else Exec_Int(in.u8(), t); break; }
        case 33: End_Nest_Exec(); break;
        case 34: { double t = ms(); keep(Set_Global_Time_Out(t, callback(), 0)); break; }
        case 35: { double t = ms(); VMHANDLE v = vm(); keep(Set_VM_Time_Out(t, v, callback(), 0)); break; }
        case 36: { double t = ms(); THREADHANDLE th = thread(); keep(Set_Thread_Time_Out(t, th, callback(), 0)); break; }
        case 37: { double t = ms(); keep(Set_Async_Time_Out(t, callback(), 0)); break; }
        case 38: Cancel_Time_Out(handle()); break;
        default:
          switch (in.u8() % 8) {
            case 0: cli(); break;
            case 1: sti(); break;
            case 2: set_pm(in.u8() & 1); break;
            case 3: Release_Time_Slice(); break;
            case 4: Wake_Up_VM(vm()); break;
            case 5: _DestroyMutex(handle()); break;
            case 6: Get_Crit_Section_Status(); break;
            default: set_v86_ints_locked(in.u8() & 1); break;
          }
      }
    } catch (const ServiceError&) {
    }
  }

  void body() {
    int ops = 1 + in.u8() % 16;
    for (int i = 0; i < ops && !in.done(); ++i) step();
  }
};

}  // namespace

void run_api_program(const std::uint8_t* data, std::size_t size, LogSink* log) {
  auto p = std::make_unique<Program>(data, size);
  Config config;
  config.max_time_ms = 200;  // bounded runs: the fuzzer wants many short ones
  config.starve_ms = 50;
  Machine m(config);
  m.set_log(log);
  p->vms.push_back(m.sys_vm());
  int threads = 1 + p->in.u8() % 4, vms = p->in.u8() % 3, objects = p->in.u8() % 4;
  for (int i = 0; i < vms; ++i)
    p->vms.push_back(m.create_vm("V" + std::to_string(i), [&p] { p->body(); }, p->boost() & 0xFFFF,
                                 p->in.u8() & 1 ? CpuMode::protected_mode : CpuMode::v86));
  for (int i = 0; i < threads; ++i)
    p->threads.push_back(m.create_thread("T" + std::to_string(i), [&p] { p->body(); }, p->in.u8() % 3));
  for (const VMHANDLE v : p->vms)
    if (v != nullptr) p->threads.push_back(vm_thread(v));
  for (int i = 0; i < objects; ++i) {
    if (p->in.u8() & 1)
      p->keep(m.create_semaphore(p->in.u8() % 3));
    else
      p->keep(m.create_mutex(p->boost() & 0xFFFF, 0));
  }
  int interrupts = p->in.u8() % 3;
  for (int i = 0; i < interrupts; ++i) {
    double at = 0.5 + p->in.u8() % 8;
    int ops = 1 + p->in.u8() % 3;
    m.at(at, [&p, ops] { p->nested(ops); });
  }
  m.run();
}

}  // namespace vmmsim::fuzz
