// diagnosis.hpp: the plain-words account of a stuck or starved run (model.md section 6): who holds
// the CPU or the critical section and at what priority, who waits on what, and which restrictions
// of each pending event fail and why.
#pragma once

#include <string>

#include "vmmsim/machine.hpp"

namespace vmmsim {
struct Event;
struct Thread;
}  // namespace vmmsim

namespace vmmsim::detail {

class Kernel;

class Diagnosis {
 public:
  explicit Diagnosis(Kernel& kernel) : k_(kernel) {}
  std::string render(Outcome outcome);

 private:
  std::string stuck();
  std::string starved();
  std::string threads_section(const Thread* skip);
  std::string events_section();
  std::string describe_wait(const Thread& t);
  std::string describe_running(const Thread& t);
  std::string why_event_waits(const Event& ev);
  std::string deadlock_cycle();

  Kernel& k_;
};

}  // namespace vmmsim::detail
