// forms_test.cpp: the two calling families of the services that take a callback (vmmsim/vxd.h's
// DDK-wrapper forms, vmmsim/vxd_vtoolsd.h's VToolsD forms): tests/vxd/forms_driver.c, built in
// each, logs the same lines, and each callback sees the carry the way its family hands it over.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "test_support.hpp"

namespace vmmsim::test {
namespace {

using DriverFn = std::uint32_t (*)();

std::vector<std::string> run_forms_driver(const char* path) {
  Machine m;
  CollectingSink sink;
  m.set_log(&sink);
  std::size_t drv = m.load_vxd(path);
  auto run = reinterpret_cast<DriverFn>(m.vxd_symbol(drv, "Run"));
  EXPECT_NE(run, nullptr);
  m.create_thread("worker", [&] { run(); }, 0x100);
  RunResult r = m.run();
  EXPECT_EQ(r.outcome, Outcome::finished) << r.message;
  std::vector<std::string> out;
  for (const LogRecord& rec : sink.records) out.push_back(fmt::format("{:.3f} {} {} {}", rec.t_ms, rec.thread, rec.kind, rec.text));
  return out;
}

TEST(VxdForms, TheDdkAndTheVtoolsdFormsOfOneDriverLogTheSame) {
  std::vector<std::string> ddk = run_forms_driver(VMMSIM_FORMS_DDK_SO);
  std::vector<std::string> vtoolsd = run_forms_driver(VMMSIM_FORMS_VTOOLSD_SO);
  EXPECT_EQ(ddk, vtoolsd);
  auto logged = [&](const std::string& text) {
    for (const auto& line : vtoolsd)
      if (line.find(text) != std::string::npos) return true;
    return false;
  };
  // The timed-out events' callbacks saw the carry: VToolsD's priority callback in its Flags
  // argument, the restricted one in Client_EFlags.
  for (const char* text : {"restricted ref=1 carry=1", "priority ref=2 carry=1", "priority ref=3 carry=0",
                           "event ref=4 carry=0", "event ref=5", "event ref=6", "event ref=7",
                           "thread event on worker ref=8", "event ref=9", "event ref=10", "idle",
                           "time-out ref=11", "time-out ref=12", "thread time-out on worker ref=13",
                           "async time-out ref=14", "time-out ref=15", "FORMS: System_Exit"})
    EXPECT_TRUE(logged(text)) << text;
}

}  // namespace
}  // namespace vmmsim::test
