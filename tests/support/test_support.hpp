// test_support.hpp: small helpers shared by the core tests: a trace of what happened and when,
// a log sink that keeps every record, and a way to capture a ServiceError's message.
#pragma once

#include <fmt/format.h>

#include <functional>
#include <string>
#include <vector>

#include <vmmsim/vmmsim.hpp>

namespace vmmsim::test {

// Trace: "what@time" lines, time in ms as %g (e.g. "B woke@5", "cb@2.5").
struct Trace {
  std::vector<std::string> lines;
  void operator()(const std::string& what) { lines.push_back(fmt::format("{}@{:g}", what, now())); }
};

// name: a thread's name as a std::string (nullptr gives "-").
inline std::string name(THREADHANDLE t) { return t ? std::string(thread_name(t)) : std::string("-"); }

// CollectingSink: keeps every log record of a run.
struct CollectingSink : LogSink {
  std::vector<LogRecord> records;
  void record(const LogRecord& r) override { records.push_back(r); }
  bool has_kind(const std::string& kind) const {
    for (const auto& r : records)
      if (r.kind == kind) return true;
    return false;
  }
};

// error_of: runs fn; returns the ServiceError's message, or "" if none was thrown.
inline std::string error_of(const std::function<void()>& fn) {
  try {
    fn();
  } catch (const ServiceError& e) {
    return e.what();
  }
  return "";
}

inline bool starts_with(const std::string& s, const std::string& prefix) {
  return s.rfind(prefix, 0) == 0;
}

inline bool contains(const std::string& s, const std::string& part) { return s.find(part) != std::string::npos; }

}  // namespace vmmsim::test
