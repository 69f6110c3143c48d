// internals_check_test.cpp: lua_internals_check.hpp: the Lua-internals layer of --reduce checks the
// Lua release it was built with and passes its start-up self-test on this one (issue 16 item 3).
#include <gtest/gtest.h>

#include <lua.hpp>

#include <string>

#include "lua_internals_check.hpp"

namespace vmmsim::lua::test {
namespace {

TEST(LuaInternalsCheck, TheReleaseBuiltWithIsOneValidated) {
  EXPECT_EQ(release_unsound(LUA_VERSION_RELEASE_NUM), "");
}

TEST(LuaInternalsCheck, AnotherReleaseIsRefusedNamingBoth) {
  std::string why = release_unsound(50406);
  EXPECT_NE(why.find("built with Lua 5.4.6"), std::string::npos) << why;
  EXPECT_NE(why.find("validated only on Lua 5.4.4"), std::string::npos) << why;
  EXPECT_NE(release_unsound(50500), "");
}

TEST(LuaInternalsCheck, TheSelfTestPlacesEveryProbe) { EXPECT_EQ(run_internals_self_test(), ""); }

TEST(LuaInternalsCheck, StateMatchingIsAllowedHere) { EXPECT_EQ(lua_internals_unsound(), ""); }

}  // namespace
}  // namespace vmmsim::lua::test
