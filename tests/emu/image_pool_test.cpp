// image_pool_test.cpp: drivers kept between runs (emu/image_pool.hpp): a Machine's driver goes back
// to the pool when the Machine ends and the next load of the file takes it, reset as if loaded
// afresh (its data as the file has it, what it wrote anywhere gone, handles given from the first
// again), and a driver that rewrote its own code runs the file's code again.
#include "emu/image_pool.hpp"

#include <gtest/gtest.h>

#include <vector>

#include "core/binding.hpp"
#include "emu/emulated_vxd.hpp"
#include "image_files.hpp"
#include "vmmsim/machine.hpp"

namespace vmmsim::emu {
namespace {

// run_calls: a Machine that loads emu_pic.elf and, on one thread, calls each (function, argument);
// the results in order.
std::vector<std::uint32_t> run_calls(const std::vector<std::pair<const char*, std::vector<std::uint32_t>>>& calls) {
  install_emulated_loader();
  std::vector<std::uint32_t> results;
  Machine m;
  std::size_t d = m.load_vxd(test::image_path("emu_pic"));
  detail::EmulatedDriver* drv = binding::emulated_vxd(m, d);
  m.create_thread("t", [&] {
    for (const auto& [fname, args] : calls) results.push_back(drv->call(fname, args));
  });
  EXPECT_EQ(m.run().outcome, Outcome::finished);
  return results;
}

TEST(ImagePool, TheNextLoadTakesTheDriverBackResetAsIfLoadedAfresh) {
  std::size_t before = pooled_vxd_count();
  std::vector<std::uint32_t> first = run_calls({{"bump", {}}, {"current_vm", {}}, {"poke", {0x08000000, 7}}});
  EXPECT_EQ(pooled_vxd_count(), before + 1);  // given back when the Machine ended
  std::vector<std::uint32_t> second = run_calls({{"bump", {}}, {"current_vm", {}}, {"peek", {0x08000000}}});
  EXPECT_EQ(pooled_vxd_count(), before + 1);  // taken, and given back again
  EXPECT_EQ(first[0], 41u);
  EXPECT_EQ(second[0], 41u);                  // counter is 40 again, as the file has it
  EXPECT_EQ(first[1], HandleMap::kBase);
  EXPECT_EQ(second[1], HandleMap::kBase);     // the first handle given again
  EXPECT_EQ(second[2], 0u);                   // what the first run wrote outside the image is gone
}

TEST(ImagePool, ADriverThatRewroteItsCodeRunsTheFilesCodeAgain) {
  std::vector<std::uint32_t> first = run_calls({{"patch_me", {}}, {"patch", {2}}, {"patch_me", {}}});
  EXPECT_EQ(first, (std::vector<std::uint32_t>{1, 0, 2}));
  std::vector<std::uint32_t> second = run_calls({{"patch_me", {}}});
  EXPECT_EQ(second, (std::vector<std::uint32_t>{1}));
}

}  // namespace
}  // namespace vmmsim::emu
