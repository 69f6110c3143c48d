// prove_chooser.cpp: ProveChooser (prove_chooser.hpp).
//
// A child ends with _exit as soon as it has nothing left to do (its branch matched, or the search
// stops): it inherited its parent's stdio buffers and atexit handlers, which are the parent's to
// flush and run. The top process (not forked) instead lets its run end the ordinary way.
#include "explorer/prove_chooser.hpp"

#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <csignal>
#include <cstring>

#include <fmt/format.h>

namespace vmmsim::explorer {

namespace {

void copy_text(char (&to)[Board::kText], const std::string& text) {
  std::size_t n = std::min(text.size(), Board::kText - 1);
  std::memcpy(to, text.data(), n);
  to[n] = '\0';
}

constexpr std::uint64_t kProgressEvery = 1024;  // transitions between progress reports

}  // namespace

std::size_t ProveChooser::choose(const ChoicePoint& point) {
  if (interrupted() || board_.stop) return halt(point);
  if (point.state != nullptr) {
    switch (store_.insert(*point.state)) {
      case StateStore::Insert::seen:
        ++board_.matched;
        note_depth();
        if (forked_) _exit(0);
        return kStop;
      case StateStore::Insert::full:
        board_.full = board_.stop = true;
        return halt(point);
      case StateStore::Insert::added: break;
    }
  } else {
    ++board_.unfingerprinted;
  }
  for (std::size_t option = 0; option + 1 < point.count; ++option) {
    pid_t pid = fork();
    if (pid == 0) {
      forked_ = true;
      return take(option);
    }
    if (pid < 0) {
      fail(fmt::format("fork failed {} choice points deep: {} (each choice point on the path holds a waiting "
                       "process: see ulimit -u)",
                       taken_.size(), std::strerror(errno))
               .c_str());
      return halt(point);
    }
    ++board_.forks;
    wait_for(pid);
    if (board_.stop) return halt(point);
  }
  return take(point.count - 1);
}

std::size_t ProveChooser::take(std::size_t option) {
  taken_.push_back(static_cast<std::uint32_t>(option));
  if (++board_.transitions % kProgressEvery == 0 && progress_) progress_(board_);
  return option;
}

// halt: the search is over; a child leaves now, the top process ends its run at the first point
// where the kernel can stop it (one with a state; elsewhere it takes option 0 and goes on).
std::size_t ProveChooser::halt(const ChoicePoint& point) {
  if (forked_) _exit(0);
  return point.state != nullptr ? kStop : 0;
}

void ProveChooser::wait_for(int pid) {
  int status = 0;
  for (;;) {
    if (waitpid(pid, &status, 0) == pid) break;
    if (errno == EINTR) {  // a signal: the search stops if it was the interrupt
      interrupted();
      continue;
    }
    fail(fmt::format("waitpid failed: {}", std::strerror(errno)).c_str());
    return;
  }
  if (WIFSIGNALED(status))
    fail(fmt::format("a process of the search was killed by signal {} ({}){}", WTERMSIG(status),
                     strsignal(WTERMSIG(status)), WTERMSIG(status) == SIGKILL ? ": out of memory?" : "")
             .c_str());
  else if (WIFEXITED(status) && WEXITSTATUS(status) != 0)
    fail(fmt::format("a process of the search exited with status {}", WEXITSTATUS(status)).c_str());
}

// fail: the first problem wins; it voids the search.
void ProveChooser::fail(const char* what) {
  if (board_.problem[0] == '\0') copy_text(board_.problem, what);
  board_.stop = true;
}

bool ProveChooser::interrupted() {
  if (interrupt_ == nullptr || !interrupt_->load()) return false;
  board_.interrupted = board_.stop = true;
  return true;
}

void ProveChooser::note_depth() { board_.max_depth = std::max<std::uint64_t>(board_.max_depth, taken_.size()); }

void ProveChooser::finish(const ScheduleRun& run) {
  note_depth();
  if (!run.unsupported.empty()) {
    copy_text(board_.unsupported, run.unsupported);
    board_.stop = true;
  }
  if (interrupted() || run.stopped || board_.stop) return;
  ++board_.ended;
  ++board_.outcomes[static_cast<std::size_t>(run.outcome)];
  if (run.outcome == Outcome::finished) return;
  board_.stop = true;
  if (taken_.size() > Board::kMaxPath) {
    fail(fmt::format("the failing run has {} choice points, more than the {} a failure can carry", taken_.size(),
                     Board::kMaxPath)
             .c_str());
    return;
  }
  board_.failed = true;
  board_.failure_outcome = run.outcome;
  board_.failure_end_ms = run.end_ms;
  board_.found_at = board_.ended;
  board_.failure_length = taken_.size();
  std::copy(taken_.begin(), taken_.end(), board_.failure_taken);
}

}  // namespace vmmsim::explorer
