// trace.cpp: traces and the tracing chooser.
#include "explorer/trace.hpp"

namespace vmmsim::explorer {

namespace {
// path_step: the path hash after one more choice.
std::uint64_t path_step(std::uint64_t path, std::uint32_t option) {
  return (path ^ option) * 0x100000001B3ULL + 0x9E3779B97F4A7C15ULL;
}
}  // namespace

std::size_t Trace::non_default() const {
  std::size_t n = 0;
  for (std::uint32_t option : taken) n += option != 0;
  return n;
}

std::size_t Trace::branch_point() const {
  std::size_t i = taken.size();
  while (i > 0 && taken[i - 1] == 0) --i;
  return i;
}

Schedule Trace::schedule(ChoiceSpace space) const {
  Schedule s;
  s.space = space;
  for (std::size_t i = 0; i < taken.size(); ++i)
    if (taken[i] != 0) s.picks[i] = taken[i];
  return s;
}

std::size_t TracingChooser::choose(const ChoicePoint& point) {
  if (point.state != nullptr && matching_) {
    trace_.states.push_back({static_cast<std::uint32_t>(trace_.taken.size()), *point.state, non_default_, path_});
    if (stored_ != nullptr && trace_.taken.size() >= fresh_from_ && stored_->contains(*point.state)) {
      trace_.stopped = true;
      return kStop;
    }
    if (earlier_ != nullptr) {
      auto it = earlier_->find(*point.state);
      if (it != earlier_->end() && covered(it->second, non_default_, path_)) {
        trace_.stopped = true;
        return kStop;
      }
    }
  }
  std::size_t option = pick(point, trace_.taken.size());
  if (option >= point.count) option = 0;
  path_ = path_step(path_, static_cast<std::uint32_t>(option));
  non_default_ += option != 0;
  trace_.counts.push_back(static_cast<std::uint32_t>(point.count));
  trace_.taken.push_back(static_cast<std::uint32_t>(option));
  trace_.kinds.push_back(point.kind);
  return option;
}

std::vector<std::uint32_t> prefix_of(const Schedule& schedule) {
  std::vector<std::uint32_t> prefix;
  if (schedule.picks.empty()) return prefix;
  prefix.assign(schedule.picks.rbegin()->first + 1, 0);
  for (const auto& [point, option] : schedule.picks) prefix[point] = option;
  return prefix;
}

}  // namespace vmmsim::explorer
