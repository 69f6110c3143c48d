// vmmsim/schedule.hpp: a run's free choices written down, so that any run can be replayed
// (model.md section 7). A Schedule lists only the choice points where something other than the
// default (option 0) was taken, and the choice space they were taken in; its token is a short
// printable string.
#pragma once

#include <cstddef>
#include <cstdint>
#include <map>
#include <optional>
#include <string>

#include "vmmsim/chooser.hpp"

namespace vmmsim {

struct Schedule {
  ChoiceSpace space;
  // picks: choice point index (0 = the run's first choice point) -> the option taken there (> 0).
  std::map<std::uint64_t, std::uint32_t> picks;

  // token: "v1" and the picks as base64url varints when the space is the default one; "v2", the
  // space, then the picks otherwise. "v1" alone is the default run.
  std::string token() const;
  // parse: the Schedule of a token, or nullopt with why set when it is malformed.
  static std::optional<Schedule> parse(const std::string& token, std::string* why);
  bool operator==(const Schedule&) const = default;
};

// ReplayChooser: takes the schedule's picks, option 0 elsewhere, in the schedule's space. A pick
// that does not exist at its choice point (the token was made for another scenario) is noted and
// option 0 taken instead.
class ReplayChooser final : public Chooser {
 public:
  explicit ReplayChooser(Schedule schedule) : schedule_(std::move(schedule)) {}
  ChoiceSpace space() const override { return schedule_.space; }
  std::size_t choose(const ChoicePoint& point) override;
  std::uint64_t choice_points() const { return next_; }
  // mismatch: empty, or what did not fit (choice point, options offered, option asked for).
  const std::string& mismatch() const { return mismatch_; }
  // unused: picks for choice points the run never reached (also a sign of another scenario).
  std::size_t unused() const;

 private:
  Schedule schedule_;
  std::uint64_t next_ = 0;
  std::string mismatch_;
};

// RecordingChooser: asks another chooser (or takes option 0) and writes every pick down, with the
// inner chooser's space (or the given one).
class RecordingChooser final : public Chooser {
 public:
  explicit RecordingChooser(Chooser* inner = nullptr, ChoiceSpace space = {})
      : inner_(inner) {
    schedule_.space = inner != nullptr ? inner->space() : space;
  }
  ChoiceSpace space() const override { return schedule_.space; }
  std::size_t choose(const ChoicePoint& point) override;
  const Schedule& schedule() const { return schedule_; }
  std::uint64_t choice_points() const { return next_; }

 private:
  Chooser* inner_;
  Schedule schedule_;
  std::uint64_t next_ = 0;
};

}  // namespace vmmsim
