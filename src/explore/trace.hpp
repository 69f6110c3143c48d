// trace.hpp: the choices one run made, and the chooser every strategy builds on, which writes them
// down as it answers.
#pragma once

#include <cstdint>
#include <vector>

#include "vmmsim/chooser.hpp"
#include "vmmsim/schedule.hpp"

namespace vmmsim::explorer {

// Trace: for each choice point of a run, in order, how many options it offered and which was taken.
struct Trace {
  std::vector<std::uint32_t> counts;
  std::vector<std::uint32_t> taken;
  std::vector<ChoiceKind> kinds;

  std::size_t size() const { return taken.size(); }
  // branch_point: where the run's last non-default choice was, plus one (0 for the default run):
  // the schedules below it in the tree differ from it after that point.
  std::size_t branch_point() const;
  std::size_t non_default() const;
  Schedule schedule(ChoiceSpace space) const;  // the picks that are not option 0
};

// TracingChooser: answers through pick() and records every answer in trace().
class TracingChooser : public Chooser {
 public:
  explicit TracingChooser(ChoiceSpace space) : space_(space) {}
  ChoiceSpace space() const final { return space_; }
  std::size_t choose(const ChoicePoint& point) final;
  const Trace& trace() const { return trace_; }
  Trace& trace() { return trace_; }

 protected:
  // pick: the option for the index-th choice point of the run (out of range means option 0).
  virtual std::size_t pick(const ChoicePoint& point, std::size_t index) = 0;

 private:
  ChoiceSpace space_;
  Trace trace_;
};

// PrefixChooser: takes the given options at the first choice points, option 0 after them (an
// empty prefix: the default run). The systematic strategy and shrinking replay schedules with it.
class PrefixChooser final : public TracingChooser {
 public:
  PrefixChooser(ChoiceSpace space, std::vector<std::uint32_t> prefix)
      : TracingChooser(space), prefix_(std::move(prefix)) {}

 protected:
  std::size_t pick(const ChoicePoint&, std::size_t index) override {
    return index < prefix_.size() ? prefix_[index] : 0;
  }

 private:
  std::vector<std::uint32_t> prefix_;
};

// prefix_of: the full list of options (zeros included) a schedule takes up to its last pick.
std::vector<std::uint32_t> prefix_of(const Schedule& schedule);

}  // namespace vmmsim::explorer
