// vmmsim/chooser.hpp: the one place every free choice of a run goes through (model.md section 7).
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>

namespace vmmsim {

// ChoiceKind: which freedom of the seeds a choice point exercises.
enum class ChoiceKind : std::uint8_t {
  thread_tie,        // which of several equal-priority eligible threads runs (model.md section 2)
  event_order,       // which processable event of a pass runs next (seed 000: no order guarantee)
  simultaneous,      // which of several items due at the same instant fires first
};

std::string_view choice_kind_name(ChoiceKind kind);

// Chooser: returns an index in [0, n) for a choice among n > 1 options. Option 0 is always what the
// deterministic default does (FIFO, least recently run, creation order). A chooser that is not
// active() is never asked, so the default run pays nothing for the choice points.
class Chooser {
 public:
  virtual ~Chooser() = default;
  virtual bool active() const { return true; }
  virtual std::size_t choose(ChoiceKind kind, std::size_t n) = 0;
};

}  // namespace vmmsim
