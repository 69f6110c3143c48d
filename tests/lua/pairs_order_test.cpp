// pairs_order_test.cpp: pairs and next traverse a table in a fixed order (lua_next.cpp): numbers,
// strings bytewise, false, true, then other keys by address. Lua's own order follows its string
// hash, seeded from the clock and addresses, so without this a run's log changed from process to
// process. The rest of Lua's contract for next holds: clearing during a traversal, its errors,
// __pairs.
#include <sys/wait.h>

#include <cstdlib>
#include <fstream>
#include <sstream>

#include "scenario_fixture.hpp"

namespace vmmsim::lua::test {

namespace {

using ::testing::ElementsAre;

// kStrings: string keys whose hash order changes with the seed (issue's reproduction).
constexpr const char* kStrings = R"(
local t = {}
for _, k in ipairs{"alpha","beta","gamma","delta","eps","zeta","eta","theta"} do t[k] = true end
local s = {}
for k in pairs(t) do s[#s+1] = k end
vmm.log("%s", table.concat(s, ","))
)";

constexpr const char* kStringsSorted = "alpha,beta,delta,eps,eta,gamma,theta,zeta";

// kKeys: keys(t), the keys of t as pairs gives them, joined by spaces.
constexpr const char* kKeys = R"(
local function keys(t)
  local s = {}
  for k in pairs(t) do s[#s + 1] = tostring(k) end
  return table.concat(s, " ")
end
)";

class PairsOrder : public ScenarioTest {
 protected:
  // logged: the vmm.log lines of source (with kKeys in front), which must finish.
  std::vector<std::string> logged(const std::string& source) {
    log_.records.clear();
    LuaRunResult r = run(std::string(kKeys) + source);
    EXPECT_EQ(r.outcome, Outcome::finished) << r.message;
    return log_.logged();
  }
};

TEST_F(PairsOrder, StringKeysAreBytewiseSortedInEveryState) {
  // Each run is a new lua_State, with its own hash seed (lstate.c mixes the state's address in).
  for (int run_number = 0; run_number < 5; ++run_number) {
    log_.records.clear();
    LuaRunResult r = run(kStrings);
    ASSERT_EQ(r.outcome, Outcome::finished) << r.message;
    EXPECT_THAT(log_.logged(), ElementsAre(kStringsSorted)) << "run " << run_number;
  }
}

TEST_F(PairsOrder, BytewiseMeansPrefixFirstAndUnsignedBytes) {
  EXPECT_THAT(logged(R"(vmm.log("%s", keys{b = 1, ab = 1, a = 1, [""] = 1, B = 1, ["a "] = 1, ["\xC8"] = 1, _ = 1}))"),
              ElementsAre(" B _ a a  ab b \xC8"));
}

TEST_F(PairsOrder, NumbersThenStringsThenFalseThenTrue) {
  EXPECT_THAT(logged(R"(vmm.log("%s", keys{[true] = 1, x = 1, [false] = 1, [3] = 1, ["1"] = 1, [-2] = 1}))"),
              ElementsAre("-2 3 1 x false true"));
}

TEST_F(PairsOrder, IntegerAndFloatKeysInterleaveNumerically) {
  EXPECT_THAT(logged(R"(vmm.log("%s", keys{[2] = 1, [1.5] = 1, [1] = 1, [-0.5] = 1, [10] = 1}))"),
              ElementsAre("-0.5 1 1.5 2 10"));
  // Beyond 2^53 a float cannot tell neighbouring integers apart: the comparison is exact anyway.
  EXPECT_THAT(logged(R"(
    local t = {[math.maxinteger] = 1, [2.0^63] = 1, [math.mininteger] = 1, [-2.0^63 - 2^11] = 1,
               [math.huge] = 1, [-math.huge] = 1, [(1 << 53) + 1] = 1, [2.0^53] = 1}
    local s = {}
    for k in pairs(t) do s[#s + 1] = string.format("%s", math.type(k) == "integer" and k or ("f" .. k)) end
    vmm.log("%s", table.concat(s, " "))
  )"),
              ElementsAre("f-inf f-9.2233720368548e+18 -9223372036854775808 9007199254740992 9007199254740993 "
                          "9223372036854775807 f9.2233720368548e+18 finf"));
}

TEST_F(PairsOrder, ArrayAndHashPartsMakeOneOrder) {
  EXPECT_THAT(logged(R"(
    local t = {10, 20, 30, n = 3, [0] = 0, [100] = 1}
    vmm.log("%s", keys(t))
  )"),
              ElementsAre("0 1 2 3 100 n"));
}

TEST_F(PairsOrder, PairsGivesNextTheTableAndNil) {
  EXPECT_THAT(logged(R"(
    local t = {}
    local f, s, k = pairs(t)
    vmm.log("%s %s %s", tostring(f == next), tostring(s == t), tostring(k))
    vmm.log("%s %s", next({a = 1}))
    vmm.log("%s %d", tostring(next({})), select("#", next({})))
  )"),
              ElementsAre("true true nil", "a 1", "nil 1"));
}

TEST_F(PairsOrder, NextIsRaw) {
  EXPECT_THAT(logged(R"(
    local t = setmetatable({b = 2}, {__index = {a = 1}, __newindex = function() error("no") end})
    vmm.log("%s", keys(t))
    vmm.log("%s", tostring(next(t, "b")))
  )"),
              ElementsAre("b", "nil"));
}

TEST_F(PairsOrder, ClearingFieldsDuringATraversalIsAllowed) {
  EXPECT_THAT(logged(R"(
    local t = {}
    for i = 1, 30 do t["k" .. i] = i; t[i] = i end
    local n = 0
    for k in pairs(t) do t[k] = nil; n = n + 1 end
    vmm.log("%d %s", n, tostring(next(t)))
    -- clearing a field not yet visited: it is skipped
    local u = {a = 1, b = 2, c = 3, d = 4}
    local seen = {}
    for k in pairs(u) do seen[#seen + 1] = k; if k == "a" then u.b = nil; u.c = nil end end
    vmm.log("%s", table.concat(seen, " "))
  )"),
              ElementsAre("60 nil", "a d"));
}

TEST_F(PairsOrder, AKeyNotInTheTableIsLuasError) {
  EXPECT_THAT(logged(R"(
    vmm.log("%s", select(2, pcall(next, {a = 1}, "missing")))
    vmm.log("%s", select(2, pcall(next, {}, 1)))
  )"),
              ElementsAre("invalid key to 'next'", "invalid key to 'next'"));
  LuaRunResult r = run("local t = {a = 1}\nnext(t, 'missing')\n");
  EXPECT_EQ(r.outcome, Outcome::error);
  EXPECT_EQ(r.message, path("s.lua") + ":2: invalid key to 'next'");  // the position the handler adds
}

TEST_F(PairsOrder, ArgumentErrorsAreLuas) {
  LuaRunResult errors = run(R"(
    vmm.log("%s", select(2, pcall(next, nil)))
    vmm.log("%s", select(2, pcall(next)))
    vmm.log("%s", select(2, pcall(next, 1)))
    vmm.log("%s", select(2, pcall(pairs)))
    vmm.log("%s", select(2, pcall(function() for k in pairs(nil) do end end)))
  )");
  EXPECT_EQ(errors.outcome, Outcome::finished) << errors.message;
  EXPECT_THAT(log_.logged(),
              ElementsAre("bad argument #1 to 'next' (table expected, got nil)",
                          "bad argument #1 to 'next' (table expected, got no value)",
                          "bad argument #1 to 'next' (table expected, got number)",
                          "bad argument #1 to 'pairs' (value expected)",
                          path("s.lua") + ":6: bad argument #1 to 'for iterator' (table expected, got nil)"));
  LuaRunResult r = run("\nnext(nil)\n");
  EXPECT_EQ(r.message, path("s.lua") + ":2: bad argument #1 to 'next' (table expected, got nil)");
}

TEST_F(PairsOrder, PairsHonoursPairsMetamethod) {
  EXPECT_THAT(logged(R"(
    local calls = 0
    local mt = {__pairs = function(self)
      calls = calls + 1
      return function(_, k) if k == nil then return "only", self.v end end, "state", nil
    end}
    local t = setmetatable({v = 7, other = 1}, mt)
    for k, v in pairs(t) do vmm.log("%s %s", k, v) end
    local f, s, k = pairs(t)
    vmm.log("%s %s %d", s, tostring(k), calls)
    -- __pairs may yield (luaB_pairs calls it with lua_callk)
    local co = coroutine.wrap(function()
      local u = setmetatable({}, {__pairs = function(u) coroutine.yield("in __pairs"); return next, {z = 1}, nil end})
      for k in pairs(u) do return k end
    end)
    vmm.log("%s %s", co(), co())
  )"),
              ElementsAre("only 7", "state nil 2", "in __pairs z"));
}

TEST_F(PairsOrder, TwentyThousandKeysTraverseCompletely) {
  EXPECT_THAT(logged(R"(
    local t = {}
    for i = 1, 10000 do t["key" .. i] = i; t[i * 1.5] = i end
    local n, last = 0, -math.huge
    for k in pairs(t) do
      n = n + 1
      if type(k) == "number" then assert(last < k, "numbers ascend") last = k end
    end
    vmm.log("%d", n)
  )"),
              ElementsAre("20000"));
}

TEST_F(PairsOrder, TableAndOtherKeysAreEachVisitedOnce) {
  EXPECT_THAT(logged(R"(
    local t, objects = {}, {}
    for i = 1, 200 do objects[i] = {} end
    objects[#objects + 1] = print
    objects[#objects + 1] = function() end
    objects[#objects + 1] = coroutine.create(print)
    objects[#objects + 1] = vmm.sys_vm
    for i, o in ipairs(objects) do t[o] = i end
    t.s, t[1] = 1, 1
    local seen, n = {}, 0
    for k, v in pairs(t) do
      assert(not seen[k], "visited twice")
      seen[k] = true
      n = n + 1
    end
    vmm.log("%d %s %s", n, tostring(next(t) == 1), tostring(seen.s))
    -- tables are last: after the number and the string
    local order = {}
    for k in pairs(t) do order[#order + 1] = type(k) end
    vmm.log("%s %s", order[1], order[2])
  )"),
              ElementsAre("206 true true", "number string"));
}

TEST_F(PairsOrder, TheCacheIsOnlyACache) {
  // A traversal gives the same keys whether or not the snapshot survives (a heap fingerprint skips
  // it), and a snapshot never keeps its table alive.
  EXPECT_THAT(logged(R"(
    local t = {}
    for i = 1, 20 do t["k" .. i] = i end
    local full = keys(t)
    local s, k = {}, nil
    repeat
      k = next(t, k)
      if k then s[#s + 1] = k end
      debug.getregistry()["vmmsim.next_cache"] = nil
    until k == nil
    vmm.log("%s", tostring(table.concat(s, " ") == full))
    local collected = false
    local function start()
      local u = setmetatable({a = 1, b = 2}, {__gc = function() collected = true end})
      next(u)  -- a traversal started and left: its snapshot stays in the cache
    end
    start()
    collectgarbage()
    collectgarbage()
    vmm.log("%s", tostring(collected))
  )"),
              ElementsAre("true", "true"));
}

TEST_F(PairsOrder, NestedTraversalsOfOneTable) {
  EXPECT_THAT(logged(R"(
    local t = {a = 1, b = 2, c = 3}
    local pairs_seen = {}
    for k1 in pairs(t) do
      for k2 in pairs(t) do pairs_seen[#pairs_seen + 1] = k1 .. k2 end
    end
    vmm.log("%s", table.concat(pairs_seen, " "))
  )"),
              ElementsAre("aa ab ac ba bb bc ca cb cc"));
}

TEST_F(PairsOrder, ThreadsAndCallbacksUseTheSameOrder) {
  EXPECT_THAT(logged(R"(
    vmm.create_thread{name = "A", body = function()
      vmm.ring3(1)
      vmm.log("%s", keys{zeta = 1, alpha = 1, mu = 1})
    end}
  )"),
              ElementsAre("alpha mu zeta"));
}

// --- Across processes: the vmmsim command, run three times ---------------------------------------

std::string slurp(const std::string& file) {
  std::ifstream in(file);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

TEST_F(PairsOrder, SameOrderInSeparateProcesses) {
  // Several runs in one process could share whatever seeds the hash; separate processes get new
  // addresses (ASLR) and maybe a new time(NULL), so before lua_next.cpp their orders differed.
  std::string file = write("p.lua", kStrings);
  std::vector<std::string> outputs;
  for (int i = 0; i < 3; ++i) {
    std::string out = path("out" + std::to_string(i) + ".txt");
    int status = std::system((std::string(VMMSIM_CLI_PATH) + " run " + file + " >" + out + " 2>&1").c_str());
    ASSERT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << slurp(out);
    outputs.push_back(slurp(out));
  }
  EXPECT_EQ(outputs[0], std::string("0.000 - ") + kStringsSorted + "\nfinished at 0.000 ms\n");
  EXPECT_EQ(outputs[1], outputs[0]);
  EXPECT_EQ(outputs[2], outputs[0]);
}

}  // namespace

}  // namespace vmmsim::lua::test
