// leak_check_main.cpp: the kernel tests' main. After every test, a listener checks that the test
// left nothing behind: no Kernel alive (a Machine leaked, or a fiber still holding one) and no
// kernel still marked as running on this thread. gtest allows failures raised from OnTestEnd; they
// are charged to the test that just ended.
#include <gtest/gtest.h>

#include "core/kernel.hpp"

namespace {

class LeakCheck : public ::testing::EmptyTestEventListener {
  void OnTestEnd(const ::testing::TestInfo& info) override {
    EXPECT_EQ(vmmsim::detail::live_kernel_count(), 0)
        << info.test_suite_name() << "." << info.name() << " left a Machine alive";
    EXPECT_EQ(vmmsim::detail::current_kernel(), nullptr)
        << info.test_suite_name() << "." << info.name() << " left a kernel marked as running";
  }
};

}  // namespace

int main(int argc, char** argv) {
  ::testing::InitGoogleTest(&argc, argv);
  ::testing::UnitTest::GetInstance()->listeners().Append(new LeakCheck);
  return RUN_ALL_TESTS();
}
