// progress.hpp: explore's progress report on stderr. It is the one place the host clock is read (to
// show schedules per second); nothing the explorer decides depends on it.
//
// On a terminal: one line, rewritten at most four times a second and erased at the end. Elsewhere
// (CI logs, nohup) only with --progress: a new line every few seconds, so a log shows the search is
// alive without being flooded.
#pragma once

#include <chrono>
#include <cstdint>

#include "vmmsim/explore.hpp"

namespace vmmsim::command {

class Progress {
 public:
  enum class Mode { off, terminal, lines };
  explicit Progress(Mode mode);
  void update(const ExploreProgress& p);
  void clear();  // erases the terminal line, if one was shown
  // finish: in lines mode, a last line with the count and rate (a CI log shows what the search cost).
  void finish(std::uint64_t schedules);

 private:
  using Clock = std::chrono::steady_clock;
  Mode mode_;
  Clock::time_point start_, last_;
  bool shown_ = false;
};

// progress_mode: terminal when stderr is one, lines when --progress asks for them elsewhere.
Progress::Mode progress_mode(bool forced);

}  // namespace vmmsim::command
