// explorer.cpp: explore(): hands the strategy's schedules to workers and takes their results back in
// the strategy's order, so that the first failure, the budget's cut and every count are the same
// whatever the number of workers (--jobs). The calling thread asks the strategy for schedules (dfs
// runs inner nodes there) and takes results in order; with jobs > 1, worker threads run the
// schedules, each with its own ScenarioRunner (its own Lua state).
#include <condition_variable>
#include <deque>
#include <functional>
#include <map>
#include <mutex>
#include <stdexcept>
#include <thread>
#include <unordered_set>

#include <fmt/format.h>

#include "explorer/coverage.hpp"
#include "explorer/prove.hpp"
#include "explorer/run_guarded.hpp"
#include "explorer/shrink.hpp"
#include "explorer/strategy.hpp"

namespace vmmsim {

namespace {

using explorer::Coverage;
using explorer::Leaf;
using explorer::Supply;
using explorer::Trace;
using explorer::TracingChooser;

void validate(const ExploreOptions& o) {
  if (o.schedules == 0) throw std::invalid_argument("explore: --schedules must be at least 1");
  if (o.jobs == 0) throw std::invalid_argument("explore: --jobs must be at least 1");
  if (o.jobs > 256) throw std::invalid_argument(fmt::format("explore: --jobs {} is more than 256", o.jobs));
  if (o.shards == 0) throw std::invalid_argument("explore: --shard K/N needs N of at least 1");
  if (o.shard >= o.shards)
    throw std::invalid_argument(fmt::format("explore: --shard {}/{}: K counts from 0 to {}", o.shard, o.shards,
                                            o.shards - 1));
  if (o.pct_depth == 0) throw std::invalid_argument("explore: the pct depth must be at least 1");
  if (o.space.jitter_us < 0) throw std::invalid_argument("explore: --jitter must not be negative");
  if (o.reduce && o.strategy != Strategy::dfs)
    throw std::invalid_argument("explore: --reduce prunes the systematic search: use it with --strategy dfs");
  if (o.prove) {
    if (o.strategy != Strategy::dfs)
      throw std::invalid_argument(fmt::format("explore: --prove is its own systematic search: leave out --strategy {}",
                                              strategy_name(o.strategy)));
    if (o.reduce) throw std::invalid_argument("explore: --prove matches states itself: leave out --reduce");
    if (o.jobs != 1)
      throw std::invalid_argument("explore: --prove searches one branch at a time: --jobs above 1 is not "
                                  "supported with it (yet)");
    if (o.shards != 1) throw std::invalid_argument("explore: --prove covers the whole space: leave out --shard");
  }
}

struct Done {
  ScheduleRun run;
  Trace trace;
};

using explorer::run_guarded;

Done run_leaf(ScenarioRunner& runner, const explorer::Strategy& strategy, const Leaf& leaf) {
  std::unique_ptr<TracingChooser> chooser = strategy.chooser_for(leaf);
  ScheduleRun run = run_guarded(runner, *chooser);
  return {std::move(run), std::move(chooser->trace())};
}

// Workers: run leaves handed out with consecutive numbers; results wait in `done` until taken.
class Workers {
 public:
  Workers(unsigned jobs, const RunnerFactory& factory, const explorer::Strategy& strategy)
      : strategy_(strategy) {
    for (unsigned i = 0; i < jobs; ++i) threads_.emplace_back([this, &factory] { work(factory); });
  }
  ~Workers() {
    {
      std::lock_guard lock(mutex_);
      stopping_ = true;
    }
    wake_workers_.notify_all();
    for (std::thread& t : threads_) t.join();
  }
  void submit(std::uint64_t number, Leaf leaf) {
    {
      std::lock_guard lock(mutex_);
      todo_.emplace_back(number, std::move(leaf));
    }
    wake_workers_.notify_one();
  }
  Done take(std::uint64_t number) {
    std::unique_lock lock(mutex_);
    wake_taker_.wait(lock, [&] { return done_.count(number) != 0 || !failure_.empty(); });
    if (!failure_.empty()) throw std::runtime_error(failure_);
    Done d = std::move(done_[number]);
    done_.erase(number);
    return d;
  }
  std::uint64_t ran() {
    std::lock_guard lock(mutex_);
    return ran_;
  }

 private:
  void work(const RunnerFactory& factory) {
    std::unique_ptr<ScenarioRunner> runner;
    try {
      runner = factory();
    } catch (const std::exception& e) {
      std::lock_guard lock(mutex_);
      failure_ = fmt::format("explore: a worker could not set up its scenario runner: {}", e.what());
      wake_taker_.notify_all();
      return;
    }
    for (;;) {
      std::pair<std::uint64_t, Leaf> item;
      {
        std::unique_lock lock(mutex_);
        wake_workers_.wait(lock, [&] { return stopping_ || !todo_.empty(); });
        if (stopping_) return;
        item = std::move(todo_.front());
        todo_.pop_front();
      }
      Done d = run_leaf(*runner, strategy_, item.second);
      {
        std::lock_guard lock(mutex_);
        ++ran_;
        done_.emplace(item.first, std::move(d));
      }
      wake_taker_.notify_all();
    }
  }

  const explorer::Strategy& strategy_;
  std::mutex mutex_;
  std::condition_variable wake_workers_, wake_taker_;
  std::deque<std::pair<std::uint64_t, Leaf>> todo_;
  std::map<std::uint64_t, Done> done_;
  std::string failure_;
  std::uint64_t ran_ = 0;
  bool stopping_ = false;
  std::vector<std::thread> threads_;
};

// Tally: takes results in order; says when to stop.
class Tally {
 public:
  Tally(const ExploreOptions& options, ExploreResult& result) : options_(options), result_(result) {}

  // take: false when exploring must stop (a failure, or the budget is spent).
  bool take(Done d) {
    if (options_.reduce && !d.run.unsupported.empty())
      throw std::invalid_argument(fmt::format(
          "explore --reduce: {}, so pruning by state matching would not be sound: explore without --reduce",
          d.run.unsupported));
    ++result_.schedules;
    coverage_.add(d.trace);
    if (d.run.stopped) {  // another run covers it: no outcome of its own
      ++result_.stopped;
      return result_.schedules < options_.schedules;
    }
    ++result_.outcomes[d.run.outcome];
    distinct_.insert(std::hash<std::string>{}(failure_signature(d.run.outcome, d.run.message) +
                                              fmt::format("@{:.3f}", d.run.end_ms)));
    if (d.run.outcome != Outcome::finished) {
      failing_ = d.trace.schedule(options_.space);
      failed_ = std::move(d.run);
      found_at_ = result_.schedules;
      return false;
    }
    // dfs knows when its space ends; random and pct would draw schedules run already forever.
    if (options_.strategy != Strategy::dfs && coverage_.complete()) {
      covered_ = true;
      return false;
    }
    return result_.schedules < options_.schedules;
  }
  // covered: random, pct: the schedules taken so far are the whole space (Coverage::complete).
  bool covered() const { return covered_; }
  void finish() {
    result_.distinct_outcomes = distinct_.size();
    result_.choice_points = coverage_.points();
    result_.options_seen = coverage_.options();
    result_.options_covered = coverage_.covered();
  }
  bool failed() const { return found_at_ != 0; }
  const Schedule& failing() const { return failing_; }
  const ScheduleRun& failed_run() const { return failed_; }
  std::uint64_t found_at() const { return found_at_; }

 private:
  const ExploreOptions& options_;
  ExploreResult& result_;
  std::unordered_set<std::size_t> distinct_;
  Coverage coverage_;
  Schedule failing_;
  ScheduleRun failed_;
  std::uint64_t found_at_ = 0;
  bool covered_ = false;
};

// hand_back: the failure found, shrunk (unless options.shrink is false) and replayed, into result.
void hand_back(ScenarioRunner& generator, const ExploreOptions& options, const Schedule& failing,
               const ScheduleRun& failed_run, std::uint64_t found_at, ExploreResult& result) {
  ExploreFailure failure;
  failure.found_at = found_at;
  failure.found_choices = failing.picks.size();
  if (options.shrink) {
    explorer::Shrunk s = explorer::shrink(generator, failing, failed_run);
    result.runs += s.runs;
    failure.schedule = std::move(s.schedule);
    failure.run = std::move(s.run);
  } else {
    failure.schedule = failing;
    failure.run = failed_run;
  }
  // Replay the schedule handed back: it must fail the same way (a check of the scenario's
  // determinism), and its trace names the kind of each choice.
  explorer::PrefixChooser replay(options.space, explorer::prefix_of(failure.schedule));
  ScheduleRun again = run_guarded(generator, replay);
  ++result.runs;
  failure.replays_same = failure_signature(again.outcome, again.message) ==
                             failure_signature(failure.run.outcome, failure.run.message) &&
                         replay.trace().schedule(options.space) == failure.schedule;
  const Trace& t = replay.trace();
  for (std::size_t i = 0; i < t.size(); ++i)
    if (t.taken[i] != 0) failure.choices.push_back({i, t.kinds[i], t.taken[i], t.counts[i]});
  result.failure = std::move(failure);
}

// explore_by_proving: ExploreOptions::prove: the stateful search of prove.hpp, then the failure it
// found handed back as dfs hands back its own.
ExploreResult explore_by_proving(ScenarioRunner& generator, const ExploreOptions& options) {
  explorer::Proof p = explorer::prove(generator, options);
  if (!p.unsupported.empty())
    throw std::invalid_argument(fmt::format(
        "explore --prove: {}, so matching states would not be sound: explore without --prove", p.unsupported));
  if (!p.problem.empty()) throw std::runtime_error("explore --prove: " + p.problem + "; nothing is proved");
  ExploreResult r;
  r.schedules = p.ended;
  r.runs = options.branch_by == BranchBy::fork ? 1 : p.reruns;
  r.outcomes = p.outcomes;
  r.states = p.states;
  r.interrupted = p.interrupted;
  r.exhausted = p.complete();
  r.proof = ExploreResult::Proof{p.matched, p.transitions, p.unfingerprinted, p.forks, p.max_depth,
                                 p.store_bytes, p.store_slots, options.max_states, p.full};
  if (p.failing) {
    // The board holds the failing run's choices and outcome; its message comes from a replay here.
    explorer::PrefixChooser again(options.space, explorer::prefix_of(*p.failing));
    ScheduleRun found = run_guarded(generator, again);
    ++r.runs;
    if (found.outcome != p.failed.outcome) found = p.failed;  // not deterministic: the replay says so below
    hand_back(generator, options, *p.failing, found, p.found_at, r);
  }
  return r;
}

}  // namespace

ExploreResult explore(const RunnerFactory& runners, const ExploreOptions& options) {
  validate(options);
  ExploreResult result;
  std::unique_ptr<ScenarioRunner> generator = runners();
  if (options.prove) return explore_by_proving(*generator, options);
  std::unique_ptr<explorer::Strategy> strategy;
  std::uint64_t extra_runs = 0;
  switch (options.strategy) {
    case Strategy::dfs: strategy = explorer::make_dfs(options, *generator); break;
    case Strategy::random: strategy = explorer::make_random(options); break;
    case Strategy::pct: {
      // PCT's k: how many choice points a run has; the default run's count stands for all.
      explorer::PrefixChooser probe(options.space, {});
      run_guarded(*generator, probe);
      ++extra_runs;
      strategy = explorer::make_pct(options, probe.trace().size());
      break;
    }
  }

  Tally tally(options, result);
  auto report = [&] {
    if (options.progress)
      options.progress(ExploreProgress{result.schedules, tally.failed() ? 1u : 0u, options.schedules,
                                       strategy->round()});
  };
  bool exhausted = false;
  auto interrupted = [&] { return options.interrupt != nullptr && options.interrupt->load(); };
  auto take = [&](Done d) {
    strategy->took(d.trace);
    bool go_on = tally.take(std::move(d));
    report();
    return go_on;
  };
  if (options.jobs == 1) {
    for (;;) {
      if (interrupted()) {
        result.interrupted = true;
        break;
      }
      Leaf leaf;
      Supply s = strategy->next(leaf);
      if (s == Supply::exhausted) {
        exhausted = true;
        break;
      }
      if (s == Supply::wait) throw std::logic_error("explore: a strategy waits with no result outstanding");
      ++result.runs;
      if (!take(run_leaf(*generator, *strategy, leaf))) break;
    }
  } else {
    Workers workers(options.jobs, runners, *strategy);
    const std::uint64_t window = options.jobs * 4ULL;  // schedules in flight
    std::uint64_t handed = 0, taken = 0;
    bool source_dry = false;
    for (;;) {
      if (interrupted()) {  // the schedules running finish; their results are not counted
        result.interrupted = true;
        break;
      }
      while (!source_dry && handed - taken < window && handed < options.schedules) {
        Leaf leaf;
        Supply s = strategy->next(leaf);
        if (s == Supply::exhausted) source_dry = true;
        if (s != Supply::leaf) break;  // wait: the strategy needs the results outstanding first
        workers.submit(handed++, std::move(leaf));
      }
      if (taken == handed) {
        exhausted = source_dry;
        break;
      }
      if (!take(workers.take(taken++))) break;
    }
    result.runs += workers.ran();  // schedules run past a stop (speculatively) were run all the same
  }
  result.runs += strategy->runs() + extra_runs;
  result.covered = tally.covered();
  result.exhausted = (exhausted || result.covered) && !tally.failed();
  result.dfs_round = strategy->round();
  result.pruned = strategy->pruned();
  result.states = strategy->states();
  tally.finish();

  if (tally.failed())
    hand_back(*generator, options, tally.failing(), tally.failed_run(), tally.found_at(), result);
  return result;
}

}  // namespace vmmsim
