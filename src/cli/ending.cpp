// ending.cpp: how `run` and `explore` print the way a run ended.
#include "ending.hpp"

#include <fmt/core.h>

namespace vmmsim::command {

// ending: the last lines of stdout for an outcome.
std::string ending(Outcome outcome, const std::string& message, double end_ms, const std::string& context) {
  switch (outcome) {
    case Outcome::finished:
      return fmt::format("finished at {:.3f} ms\n", end_ms);
    case Outcome::time_limit:
      if (message.rfind("time_limit:", 0) == 0 || message.rfind("runaway:", 0) == 0) return message + "\n";
      return fmt::format("time_limit: max_time {:.3f} ms reached\n", end_ms);
    case Outcome::error:
      if (context.empty()) return "error: " + message + "\n";
      return fmt::format("error: {}\n  at {:.3f} ms {}\n", message, end_ms, context);
    case Outcome::stuck:
    case Outcome::starved:
      break;
  }
  if (!message.empty() && message.back() == '\n') return message;
  return message + "\n";
}

}  // namespace vmmsim::command
