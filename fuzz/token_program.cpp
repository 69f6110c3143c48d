// token_program.cpp: run_token (token_program.hpp). The scenario offers thread ties, event order,
// spurious wake-ups and jitter, so any choice space a token names has points to replay on.
#include "token_program.hpp"

#include <cstdio>
#include <cstdlib>
#include <memory>
#include <string>

#include "vmmsim/vmmsim.hpp"

namespace vmmsim::fuzz {

void run_token(const std::uint8_t* data, std::size_t size) {
  std::string token(reinterpret_cast<const char*>(data), size);
  std::string why;
  std::optional<Schedule> schedule = Schedule::parse(token, &why);
  if (!schedule) {
    if (why.empty()) {
      std::fputs("token_fuzzer: Schedule::parse refused a token without saying why\n", stderr);
      std::abort();
    }
    return;
  }
  // A parsed token prints back as a token that parses to the same schedule.
  std::optional<Schedule> again = Schedule::parse(schedule->token(), &why);
  if (!again || !(*again == *schedule)) {
    std::fprintf(stderr, "token_fuzzer: %s does not round-trip (%s)\n", schedule->token().c_str(), why.c_str());
    std::abort();
  }
  ReplayChooser chooser(*schedule);
  Machine m;
  m.set_chooser(&chooser);
  auto done = std::make_shared<int>(0);
  for (int i = 0; i < 3; ++i)
    m.create_thread("T" + std::to_string(i), [done, i] {
      Schedule_Global_Event([done](const EventContext&) { ++*done; }, 0);
      Set_Global_Time_Out(1, [](const EventContext&) {}, 0);
      if (i == 0) _BlockOnID(1, Block_Svc_Ints);
      ring3(1);
      _SignalID(1);
    });
  m.every(1, [] { _SignalID(2); }, 3);
  m.run();
}

}  // namespace vmmsim::fuzz
