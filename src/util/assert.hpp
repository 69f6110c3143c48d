// assert.hpp: the two tiers of checks (Lua's api_check / lua_assert, SerenityOS's VERIFY).
//
// A misused service is the driver's fault: the service throws ServiceError with a message for the
// user (docs/errors.md). An internal invariant that fails is vmmsim's fault: the process stops at
// once with the invariant's text, where it failed, and the services called last, since running on
// with a broken state would only give a wrong answer that looks right.
//
//   VMMSIM_VERIFY(cond, fmt, ...)  always on: cheap checks (a flag, a pointer, a counter).
//   VMMSIM_ASSERT(cond, fmt, ...)  on in debug, sanitizer and fuzz builds (VMMSIM_ASSERTIONS), where
//                                  checks may cost a walk over a queue; compiled but never run in
//                                  release builds, so they cannot rot.
#pragma once

#include <fmt/format.h>

#include <string>

namespace vmmsim::detail {

// assertion_failed: prints "vmmsim: internal error at file:line: cond: message", the recent
// services (recent_services), and aborts.
[[noreturn]] void assertion_failed(const char* file, int line, const char* condition, const std::string& message);

// RecentServices: the last services the running machine was asked for, for an assertion's report.
// Recording one is a pointer store in a ring: cheap enough for every service call.
class RecentServices {
 public:
  static constexpr int kSize = 8;  // a power of two: the ring's index wraps with a mask
  static_assert((kSize & (kSize - 1)) == 0);
  void note(const char* service) {
    names_[next_] = service;
    next_ = (next_ + 1) & (kSize - 1);
  }
  std::string describe() const;  // oldest first, "A, B, C"

 private:
  const char* names_[kSize] = {};
  int next_ = 0;
};

// recent_services: the ring of the machine running on this OS thread (set by the kernel), or null.
const RecentServices* recent_services();
void set_recent_services(const RecentServices* ring);

// assertions_enabled: whether the library was built with VMMSIM_ASSERTIONS (for tests, which are
// compiled without it).
bool assertions_enabled();

#if defined(VMMSIM_ASSERTIONS)
inline constexpr bool kAssertions = true;
#else
inline constexpr bool kAssertions = false;
#endif

}  // namespace vmmsim::detail

#define VMMSIM_VERIFY(cond, ...)                                                                      \
  do {                                                                                                \
    if (!(cond)) [[unlikely]]                                                                         \
      ::vmmsim::detail::assertion_failed(__FILE__, __LINE__, #cond, ::fmt::format(__VA_ARGS__));     \
  } while (0)

#define VMMSIM_ASSERT(cond, ...)                                                                      \
  do {                                                                                                \
    if constexpr (::vmmsim::detail::kAssertions) {                                                    \
      if (!(cond)) [[unlikely]]                                                                       \
        ::vmmsim::detail::assertion_failed(__FILE__, __LINE__, #cond, ::fmt::format(__VA_ARGS__));   \
    }                                                                                                 \
  } while (0)
