// lua_internals_check.cpp: lua_internals_unsound() (lua_internals_check.hpp): the release check and
// the start-up self-test of the suspension table.
//
// The self-test runs a fixed chunk in a fresh lua_State. At each probe the chunk calls out (a call,
// a metamethod, a generic for's iterator, a __close handler) into a C function that reads the
// suspended frame exactly as the state fingerprint does (lua_getinfo, lua_getlocal, call_out,
// parse_function, suspended_pc) and compares the answer with the one instruction of the expected
// opcode on that line, found independently in the parsed bytecode.
#include "lua_internals_check.hpp"

#include <lua.hpp>

#include <fmt/format.h>

#include <algorithm>
#include <iterator>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "lua_bytecode.hpp"
#include "lua_suspension.hpp"

namespace vmmsim::lua {

namespace {

// The probes: `p(level, n)` records that the frame `level` up (1: p's caller) is probe n.
constexpr const char* kChunk =
    "local p = ...\n"                                                            // 1
    "p(1, 1)\n"                                                                  // 2  CALL
    "local t = setmetatable({}, {__index = function() p(2, 2) return 1 end,\n"   // 3
    "  __add = function() p(2, 3) return 0 end, __call = function() p(2, 4) end,\n"
    "  __close = function() p(2, 5) end, __concat = function() p(2, 6) return '' end})\n"
    "local v = t.x\n"                                                            // 6  GETFIELD
    "local w = t + 1\n"                                                          // 7  MMBINI
    "local x = 1; t(x)\n"                                                        // 8  CALL (__call)
    "for _ in function(_, c) p(2, 7) return nil end do end\n"                    // 9  TFORCALL
    "local s = 'a' .. t .. 'b'\n"                                                // 10 CONCAT
    "local function f(a) return p(1, 8) end\n"                                   // 11 TAILCALL
    "f(1)\n"                                                                     // 12
    "do\n"                                                                       // 13
    "  local c <close> = t\n"                                                    // 14
    "  local pad = 0\n"                                                          // 15 CLOSE
    "end\n"
    "local done = true\n";

struct Expected {
  int probe;
  int line;
  OpCode op;
};
constexpr Expected kExpected[] = {
    {1, 2, OpCode::CALL},    {2, 6, OpCode::GETFIELD}, {3, 7, OpCode::MMBINI},  {4, 8, OpCode::CALL},
    {7, 9, OpCode::TFORCALL}, {6, 10, OpCode::CONCAT}, {8, 11, OpCode::TAILCALL}, {5, 15, OpCode::CLOSE},
};

struct Seen {
  int probe = 0;
  int line = 0;
  int nslots = 0;
  std::optional<Proto> proto;
  std::optional<int> placed;
};

int probe(lua_State* L) {
  auto* seen = static_cast<std::vector<Seen>*>(lua_touserdata(L, lua_upvalueindex(1)));
  const int level = static_cast<int>(luaL_checkinteger(L, 1));
  lua_Debug ar;
  if (lua_getstack(L, level, &ar) == 0) return luaL_error(L, "no frame at level %d", level);
  lua_getinfo(L, "Slf", &ar);  // pushes the function
  Seen s;
  s.probe = static_cast<int>(luaL_checkinteger(L, 2));
  s.line = ar.currentline;
  while (lua_getlocal(L, &ar, s.nslots + 1) != nullptr) {
    lua_pop(L, 1);
    ++s.nslots;
  }
  CallOut how = call_out(L, level);
  s.proto = parse_function(L, -1);
  lua_pop(L, 1);
  if (s.proto) s.placed = suspended_pc(*s.proto, s.line, s.nslots, how);
  seen->push_back(std::move(s));
  return 0;
}

// only: the pc of the one `op` on `line` of p, or -1.
int only(const Proto& p, OpCode op, int line) {
  int found = -1;
  for (std::size_t pc = 0; pc < p.code.size(); ++pc) {
    if (p.code[pc].op() != op || p.lines[pc] != line) continue;
    if (found != -1) return -1;
    found = static_cast<int>(pc);
  }
  return found;
}

std::string check(const std::vector<Seen>& seen) {
  for (const Expected& e : kExpected) {
    auto it = std::find_if(seen.begin(), seen.end(), [&](const Seen& s) { return s.probe == e.probe; });
    if (it == seen.end()) return fmt::format("probe {} (line {}) was never reached", e.probe, e.line);
    if (it->line != e.line) return fmt::format("probe {} reported line {}, expected {}", e.probe, it->line, e.line);
    if (!it->proto) return fmt::format("probe {}: its function's bytecode did not parse", e.probe);
    int pc = only(*it->proto, e.op, e.line);
    if (pc == -1) return fmt::format("probe {}: line {} has not exactly one {}", e.probe, e.line, opcode_name(e.op));
    if (it->placed != pc)
      return fmt::format("probe {} at the {} of line {} (pc {}) was placed at {} with {} slots", e.probe,
                         opcode_name(e.op), e.line, pc, it->placed ? fmt::format("pc {}", *it->placed) : "no pc",
                         it->nslots);
  }
  return "";
}

}  // namespace

std::string release_unsound(long release) {
  if (std::find(std::begin(kValidatedLuaReleases), std::end(kValidatedLuaReleases), release) !=
      std::end(kValidatedLuaReleases))
    return "";
  std::string validated;
  for (long r : kValidatedLuaReleases)
    validated += fmt::format("{}{}.{}.{}", validated.empty() ? "" : ", ", r / 10000, r / 100 % 100, r % 100);
  return fmt::format("vmmsim was built with Lua {}.{}.{}, and its reading of Lua's suspended frames is validated "
                     "only on Lua {}",
                     release / 10000, release / 100 % 100, release % 100, validated);
}

std::string run_internals_self_test() {
  lua_State* L = luaL_newstate();
  if (L == nullptr) return "the self-test could not create a Lua state";
  luaL_openlibs(L);
  std::vector<Seen> seen;
  std::string why;
  if (luaL_loadbufferx(L, kChunk, std::char_traits<char>::length(kChunk), "=self-test", "t") != LUA_OK) {
    why = fmt::format("the self-test chunk did not compile: {}", lua_tostring(L, -1));
  } else {
    lua_pushlightuserdata(L, &seen);
    lua_pushcclosure(L, probe, 1);
    if (lua_pcall(L, 1, 0, 0) != LUA_OK) why = fmt::format("the self-test chunk failed: {}", lua_tostring(L, -1));
  }
  lua_close(L);
  if (!why.empty()) return why;
  why = check(seen);
  return why.empty() ? "" : "the start-up self-test of its reading of Lua's suspended frames failed: " + why;
}

const std::string& lua_internals_unsound() {
  static const std::string why = [] {
    std::string r = release_unsound(LUA_VERSION_RELEASE_NUM);
    if (!r.empty()) return r;
    if (lua_version(nullptr) != LUA_VERSION_NUM)
      return fmt::format("the Lua library in use is version {}, the headers vmmsim was built with {}",
                         lua_version(nullptr), LUA_VERSION_NUM);
    return run_internals_self_test();
  }();
  return why;
}

}  // namespace vmmsim::lua
