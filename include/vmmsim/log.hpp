// vmmsim/log.hpp: what a run reports as it goes: one record per thing that happened.
#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

namespace vmmsim {

// LogField: one named value of a record (numbers are kept as numbers for the JSON trace).
struct LogField {
  std::string key;
  enum class Type : std::uint8_t { string, integer, number, boolean } type = Type::string;
  std::string s;
  std::int64_t i = 0;
  double d = 0;
  bool b = false;
};

// LogRecord: scenario-api.md "Machine-readable outputs": time, thread, kind, the kind's fields, and
// the plain-words text the log prints.
struct LogRecord {
  double t_ms = 0;
  std::string thread;  // the current thread's name
  std::string kind;    // run, block, wake, event_queued, event_run, event_timeout, ...
  std::string text;    // the log line after time and thread
  std::vector<LogField> fields;
  std::int64_t priority = 0;  // the current thread's priority when it happened
  // annotation: a record for the machine-readable outputs only, no line of the log (kinds "thread",
  // "priority", "event_done"): it states what the log's lines leave implicit. Made only for a sink
  // whose wants_annotations() is true.
  bool annotation = false;
};

class LogSink {
 public:
  virtual ~LogSink() = default;
  virtual void record(const LogRecord& record) = 0;
  // wants_annotations: also give this sink the annotation records (asked once, by set_log).
  virtual bool wants_annotations() const { return false; }
};

}  // namespace vmmsim
