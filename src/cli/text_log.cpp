// text_log.cpp: the log on stdout: one line per record, "<ms, 3 decimals> <thread> <text>".
#include <fmt/core.h>

#include "sinks.hpp"

namespace vmmsim::command {

namespace {

class TextLog final : public OutputSink {
 public:
  explicit TextLog(std::FILE* out) : out_(out) {}
  void record(const LogRecord& r) override { fmt::print(out_, "{:.3f} {} {}\n", r.t_ms, r.thread, r.text); }
  std::string finish(const RunEnd&) override {
    return std::fflush(out_) == 0 ? "" : "error writing the log to stdout";
  }

 private:
  std::FILE* out_;
};

}  // namespace

std::unique_ptr<OutputSink> make_text_log(std::FILE* out) { return std::make_unique<TextLog>(out); }

}  // namespace vmmsim::command
