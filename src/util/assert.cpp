#include "util/assert.hpp"

#include <cstdio>
#include <cstdlib>

namespace vmmsim::detail {

namespace {
thread_local const RecentServices* g_recent = nullptr;
}

const RecentServices* recent_services() { return g_recent; }
void set_recent_services(const RecentServices* ring) { g_recent = ring; }

std::string RecentServices::describe() const {
  std::string out;
  for (int i = 0; i < kSize; ++i) {
    const char* name = names_[(next_ + i) % kSize];
    if (name == nullptr) continue;
    if (!out.empty()) out += ", ";
    out += name;
  }
  return out.empty() ? "none" : out;
}

bool assertions_enabled() { return kAssertions; }

void assertion_failed(const char* file, int line, const char* condition, const std::string& message) {
  std::fprintf(stderr, "vmmsim: internal error at %s:%d: %s: %s\n", file, line, condition, message.c_str());
  if (const RecentServices* ring = recent_services())
    std::fprintf(stderr, "  services called last (oldest first): %s\n", ring->describe().c_str());
  std::fprintf(stderr, "  this is a bug in vmmsim, not in the scenario; please report it with the scenario\n");
  std::fflush(stderr);
  std::abort();
}

}  // namespace vmmsim::detail
