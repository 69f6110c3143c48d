// progress.cpp: Progress (progress.hpp).
#include "progress.hpp"

#include <fmt/core.h>
#include <unistd.h>

#include <cstdio>
#include <string>

namespace vmmsim::command {

namespace {

constexpr auto kTerminalPeriod = std::chrono::milliseconds(250);
constexpr auto kLinePeriod = std::chrono::seconds(5);

}  // namespace

Progress::Mode progress_mode(bool forced) {
  if (isatty(STDERR_FILENO) == 1) return Progress::Mode::terminal;
  return forced ? Progress::Mode::lines : Progress::Mode::off;
}

Progress::Progress(Mode mode) : mode_(mode), start_(Clock::now()), last_(start_) {}

void Progress::update(const ExploreProgress& p) {
  if (mode_ == Mode::off) return;
  auto now = Clock::now();
  if (now - last_ < (mode_ == Mode::terminal ? std::chrono::duration_cast<Clock::duration>(kTerminalPeriod)
                                              : std::chrono::duration_cast<Clock::duration>(kLinePeriod)))
    return;
  last_ = now;
  double secs = std::chrono::duration<double>(now - start_).count();
  double rate = secs > 0 ? static_cast<double>(p.schedules) / secs : 0;
  // The explorer may stop sooner (a failure, or dfs exhausting the space); the budget is the one
  // end known in advance, so the estimate is named for it.
  std::string eta;
  if (rate > 0 && p.budget > p.schedules)
    eta = fmt::format(", at most {:.0f} s until the budget of {} schedules is spent",
                      static_cast<double>(p.budget - p.schedules) / rate, p.budget);
  std::string round = p.dfs_round > 0 ? fmt::format(", dfs round {}", p.dfs_round) : "";
  std::string text = fmt::format("explore: {} schedules, {:.0f}/s, {} failures{}{}", p.schedules, rate, p.failures,
                                 round, eta);
  if (mode_ == Mode::terminal) {
    fmt::print(stderr, "\r\033[K{}", text);
    shown_ = true;
  } else {
    fmt::print(stderr, "{} ({:.0f} s)\n", text, secs);
  }
  std::fflush(stderr);
}

void Progress::clear() {
  if (shown_) fmt::print(stderr, "\r\033[K");
}

}  // namespace vmmsim::command

namespace vmmsim::command {

void Progress::finish(std::uint64_t schedules) {
  if (mode_ != Mode::lines) return;
  double secs = std::chrono::duration<double>(Clock::now() - start_).count();
  fmt::print(stderr, "explore: done: {} schedules in {:.1f} s\n", schedules, secs);
  std::fflush(stderr);
}

}  // namespace vmmsim::command
