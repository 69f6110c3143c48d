// timeline_html.cpp: --timeline FILE.html: one self-contained page (no network): the run's
// timeline_model as JSON (timeline_data.hpp) inside the page template of timeline/page.html and
// the drawing code of timeline/timeline.js, both embedded at build time (timeline_page.cpp.in).
// The page is written by finish(), once the outcome is known.
#include <string_view>

#include "output_file.hpp"
#include "sinks.hpp"
#include "timeline_data.hpp"
#include "timeline_model.hpp"

namespace vmmsim::command {

extern const std::string_view kTimelinePage;    // timeline/page.html
extern const std::string_view kTimelineScript;  // timeline/timeline.js

namespace {

// script_safe: JSON inside <script>: "</" would end the element early.
std::string script_safe(std::string json) {
  for (std::size_t at = 0; (at = json.find("</", at)) != std::string::npos; at += 3) json.replace(at, 2, "<\\/");
  return json;
}

void replace_once(std::string& page, std::string_view marker, std::string_view with) {
  auto at = page.find(marker);
  if (at != std::string::npos) page.replace(at, marker.size(), with);
}

class TimelineHtml final : public OutputSink, public ChoiceMarks {
 public:
  bool open(const std::string& path, std::string& error) { return file_.open(path, error); }
  bool wants_annotations() const override { return true; }
  void record(const LogRecord& r) override { model_.add(r); }
  void choice(const std::string& text) override { model_.add_choice(text); }

  std::string finish(const RunEnd& end) override {
    model_.finish(end);
    std::string page(kTimelinePage);
    // The script goes in first: the data could contain the script's marker, not the reverse.
    replace_once(page, "/*@SCRIPT@*/", kTimelineScript);
    replace_once(page, "/*@DATA@*/", script_safe(timeline::page_data(model_).dump()));
    file_.write(page);
    return file_.close();
  }

 private:
  OutputFile file_;
  timeline::Model model_;
};

}  // namespace

std::unique_ptr<OutputSink> open_timeline_html(const std::string& path, std::string& error) {
  auto timeline = std::make_unique<TimelineHtml>();
  if (!timeline->open(path, error)) return nullptr;
  return timeline;
}

}  // namespace vmmsim::command
