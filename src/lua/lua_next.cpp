// lua_next.cpp: the global `next` and `pairs` of a scenario, traversing a table in a fixed order.
//
// A run must depend only on the scenario and the seed, but Lua 5.4 walks a table in the order of its
// hash part (ltable.c, luaH_next), and the string hash is seeded from time(NULL) and addresses
// (lstate.c, luai_makeseed): `for k in pairs(t)` over string keys gives a different order in every
// process, so an explorer's schedule token could replay differently in another process. Here `next`
// hands out the keys in this order, whatever the seed:
//   1. number keys (integers and floats together), ascending;
//   2. string keys, bytewise (memcmp; a prefix before the longer string);
//   3. false, then true;
//   4. every other key (light userdata, tables, functions, full userdata, coroutines) by address
//      (lua_topointer). Only this group depends on the memory layout, so its order can differ
//      between runs (and a light C function's address moves with the binary, ASLR).
//
// Lua's rules for next are kept (manual 6.1, `next`): raw access, nil at the end, and a field may be
// cleared during a traversal. Sorting at every call would make a traversal O(n^2 log n), so
// next(t, nil) sorts a snapshot of t's keys once and next(t, k) finds k in it by binary search: a
// traversal of n keys is O(n log n). The snapshots live in a weak-keyed registry table
// (kNextCacheKey) and are only a cache, which a fingerprint of the Lua heap may skip: next(t, k)
// answers "the first key after k, in the order above, whose value in t is not nil", and a snapshot
// only finds it faster; without one (it is dropped at the end of each traversal) it is rebuilt from
// t. Two limits, both where Lua's own next depends on hidden state (the dead keys of its hash part):
// - a k that is neither in t nor in t's snapshot is "invalid key to 'next'", Lua's error. A key
//   cleared during a traversal stays valid, as a dead key does in Lua, until the snapshot is rebuilt:
//   at the next next(t, nil) (a nested traversal of the same table) or at the end of a traversal.
// - keys added to t after next(t, nil) took the snapshot (during a traversal, which is undefined in
//   Lua, manual 6.1, or after one left with break) are not seen by next(t, k) for a k of the
//   snapshot; passing such a new key to next rebuilds the snapshot.
#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <limits>

#include "lua_binding.hpp"

namespace vmmsim::lua {

namespace {

// Rank: the four groups of the order, in order.
enum Rank : int { kNumber = 0, kString = 1, kBoolean = 2, kOther = 3 };

// SortKey: what the order needs to know of one key, read once so that sorting calls no Lua function
// (no Lua error can interrupt std::sort). Plain data: it lives in a Lua userdata, which the garbage
// collector frees, so a Lua error at any point leaks nothing (lua_binding.hpp: lua_error skips C++
// destructors). `s` points into a Lua string, which stays put (Lua's collector does not move
// objects) while the string is anchored in the key array.
struct SortKey {
  lua_Integer slot;      // where the key is in the array of collected keys
  int rank;              // Rank
  int type;              // lua_type, breaking address ties in kOther between different types
  bool is_integer;       // kNumber: i holds it, otherwise f
  lua_Integer i;         // kNumber integer; kBoolean: 0 or 1
  lua_Number f;          // kNumber float (never NaN: NaN is not a valid key)
  const char* s;         // kString
  std::size_t len;       // kString
  std::uintptr_t p;      // kOther: lua_topointer
};

SortKey sort_key(lua_State* L, int idx, lua_Integer slot) {
  SortKey k{};
  k.slot = slot;
  k.type = lua_type(L, idx);
  switch (k.type) {
    case LUA_TNUMBER:
      k.rank = kNumber;
      k.is_integer = lua_isinteger(L, idx) != 0;
      if (k.is_integer) {
        k.i = lua_tointeger(L, idx);
      } else {
        k.f = lua_tonumber(L, idx);
      }
      break;
    case LUA_TSTRING:
      k.rank = kString;
      k.s = lua_tolstring(L, idx, &k.len);  // a string already: no conversion, no allocation
      break;
    case LUA_TBOOLEAN:
      k.rank = kBoolean;
      k.i = lua_toboolean(L, idx);
      break;
    default:
      k.rank = kOther;
      k.p = reinterpret_cast<std::uintptr_t>(lua_topointer(L, idx));
      break;
  }
  return k;
}

// compare_integer_float: i <=> f exactly (-1, 0, 1), as lvm.c's LTintfloat does: converting i to a
// double would round integers beyond 2^53.
int compare_integer_float(lua_Integer i, lua_Number f) {
  constexpr lua_Number kTwoTo63 = 9223372036854775808.0;  // 2^63: every lua_Integer is below it
  if (f >= kTwoTo63) return -1;
  if (f < -kTwoTo63) return 1;
  lua_Number floor = std::floor(f);
  auto whole = static_cast<lua_Integer>(floor);  // exact: floor is within [-2^63, 2^63)
  if (i != whole) return i < whole ? -1 : 1;
  return f > floor ? -1 : 0;
}

int compare_numbers(const SortKey& a, const SortKey& b) {
  if (a.is_integer && b.is_integer) return a.i < b.i ? -1 : (a.i > b.i ? 1 : 0);
  if (!a.is_integer && !b.is_integer) return a.f < b.f ? -1 : (a.f > b.f ? 1 : 0);
  if (a.is_integer) return compare_integer_float(a.i, b.f);
  return -compare_integer_float(b.i, a.f);
}

// compare: the order of the file's header comment (-1, 0, 1). 0 only for the same key.
int compare(const SortKey& a, const SortKey& b) {
  if (a.rank != b.rank) return a.rank < b.rank ? -1 : 1;
  switch (a.rank) {
    case kNumber:
      return compare_numbers(a, b);
    case kString: {
      int c = std::memcmp(a.s, b.s, std::min(a.len, b.len));
      if (c != 0) return c < 0 ? -1 : 1;
      return a.len < b.len ? -1 : (a.len > b.len ? 1 : 0);
    }
    case kBoolean:
      return a.i < b.i ? -1 : (a.i > b.i ? 1 : 0);
    default:
      if (a.p != b.p) return a.p < b.p ? -1 : 1;
      return a.type < b.type ? -1 : (a.type > b.type ? 1 : 0);
  }
}

// push_cache: the registry's table of snapshots (table -> sorted array of its keys), created when
// missing. Weak keys (an ephemeron table): a snapshot never keeps its table alive.
void push_cache(lua_State* L) {
  if (lua_getfield(L, LUA_REGISTRYINDEX, kNextCacheKey) == LUA_TTABLE) return;
  lua_pop(L, 1);
  lua_createtable(L, 0, 1);
  lua_createtable(L, 0, 1);
  lua_pushliteral(L, "k");
  lua_setfield(L, -2, "__mode");
  lua_setmetatable(L, -2);
  lua_pushvalue(L, -1);
  lua_setfield(L, LUA_REGISTRYINDEX, kNextCacheKey);
}

// push_snapshot: pushes a new array of the keys of the table at t, sorted; returns their number.
//
// Why this way: the keys are collected into a Lua array, their SortKeys into a userdata, and
// std::sort orders the SortKeys. Every allocation is Lua's (a memory error is a Lua error that leaks
// nothing) and no Lua function runs while std::sort does, which allocates nothing and cannot be
// interrupted. A merge sort over Lua tables would be as correct and slower; std::sort over a
// std::vector would have a destructor in a function that raises Lua errors.
lua_Integer push_snapshot(lua_State* L, int t) {
  lua_newtable(L);
  int keys = lua_gettop(L);
  lua_Integer n = 0;
  lua_pushnil(L);
  while (lua_next(L, t) != 0) {  // raw, in hash order: the order is made below
    lua_pop(L, 1);
    lua_pushvalue(L, -1);
    lua_rawseti(L, keys, ++n);
  }
  auto count = static_cast<std::size_t>(n);
  auto* sorted = static_cast<SortKey*>(lua_newuserdatauv(L, count * sizeof(SortKey), 0));
  for (lua_Integer slot = 1; slot <= n; ++slot) {
    lua_rawgeti(L, keys, slot);
    sorted[slot - 1] = sort_key(L, -1, slot);  // the string stays anchored in `keys`
    lua_pop(L, 1);
  }
  std::sort(sorted, sorted + count, [](const SortKey& a, const SortKey& b) { return compare(a, b) < 0; });
  lua_createtable(L, static_cast<int>(std::min<lua_Integer>(n, std::numeric_limits<int>::max())), 0);
  for (std::size_t j = 0; j < count; ++j) {
    lua_rawgeti(L, keys, sorted[j].slot);
    lua_rawseti(L, -2, static_cast<lua_Integer>(j) + 1);
  }
  lua_replace(L, keys);  // the snapshot where the collected keys were, above the userdata
  lua_pop(L, 1);
  return n;
}

// find: the position of the key at k in the snapshot at snap (n keys), or 0. Binary search: O(log n).
lua_Integer find(lua_State* L, int snap, lua_Integer n, int k) {
  SortKey key = sort_key(L, k, 0);
  lua_Integer lo = 1;
  lua_Integer hi = n + 1;
  while (lo < hi) {  // the first position whose key is not below k
    lua_Integer mid = lo + (hi - lo) / 2;
    lua_rawgeti(L, snap, mid);
    bool below = compare(sort_key(L, -1, mid), key) < 0;
    lua_pop(L, 1);
    if (below) {
      lo = mid + 1;
    } else {
      hi = mid;
    }
  }
  if (lo > n) return 0;
  lua_rawgeti(L, snap, lo);
  bool same = lua_rawequal(L, -1, k) != 0;  // also 2 and 2.0, as table keys are
  lua_pop(L, 1);
  return same ? lo : 0;
}

// l_next: next(t [, k]) (lbaselib.c luaB_next): the key after k and its value, or nil at the end.
int l_next(lua_State* L) {
  constexpr int kTable = 1, kKey = 2, kCache = 3, kSnapshot = 4;
  luaL_checktype(L, kTable, LUA_TTABLE);
  lua_settop(L, kKey);  // create a 2nd argument if there isn't one
  push_cache(L);
  lua_Integer n = 0;
  lua_Integer at = 0;  // position of k in the snapshot; 0 before the first key
  if (lua_isnil(L, kKey)) {
    n = push_snapshot(L, kTable);
  } else {
    lua_pushvalue(L, kTable);
    if (lua_rawget(L, kCache) == LUA_TTABLE) {
      n = static_cast<lua_Integer>(lua_rawlen(L, kSnapshot));
      at = find(L, kSnapshot, n, kKey);
    }
    if (at == 0) {  // no snapshot, or k came after it: valid only if k is in t
      lua_pushvalue(L, kKey);
      bool present = lua_rawget(L, kTable) != LUA_TNIL;
      if (!present) {
        // Lua's message, without a position: luaH_next raises it with luaG_runerror from inside
        // next, a C function (ltable.c, findindex).
        lua_pushliteral(L, "invalid key to 'next'");
        return lua_error(L);
      }
      lua_settop(L, kCache);
      n = push_snapshot(L, kTable);
      at = find(L, kSnapshot, n, kKey);  // found, as k is a key of t: 0 would restart the traversal
      if (at == 0) return luaL_error(L, "next: key not found in a fresh snapshot (bug)");
    }
  }
  lua_pushvalue(L, kTable);
  lua_pushvalue(L, kSnapshot);
  lua_rawset(L, kCache);
  for (lua_Integer i = at + 1; i <= n; ++i) {
    lua_rawgeti(L, kSnapshot, i);
    lua_pushvalue(L, -1);
    if (lua_rawget(L, kTable) != LUA_TNIL) return 2;  // cleared fields are skipped
    lua_pop(L, 2);
  }
  lua_pushvalue(L, kTable);  // the traversal is over: drop the snapshot (memory; same answers)
  lua_pushnil(L);
  lua_rawset(L, kCache);
  lua_pushnil(L);
  return 1;
}

int pairs_continuation(lua_State* L, int status, lua_KContext ctx) {
  (void)L;
  (void)status;
  (void)ctx;
  return 3;
}

// l_pairs: pairs(t) as lbaselib.c's luaB_pairs: __pairs if t has one (called with lua_callk, so it
// may yield), otherwise next, t, nil with this file's next.
int l_pairs(lua_State* L) {
  luaL_checkany(L, 1);
  if (luaL_getmetafield(L, 1, "__pairs") == LUA_TNIL) {  // no metamethod
    lua_pushcfunction(L, l_next);
    lua_pushvalue(L, 1);
    lua_pushnil(L);
  } else {
    lua_pushvalue(L, 1);  // argument 'self' to the metamethod
    lua_callk(L, 1, 3, 0, pairs_continuation);
  }
  return 3;
}

}  // namespace

void open_next(lua_State* L) {
  lua_pushcfunction(L, l_next);  // a light C function: pairs returns the same value, as in Lua
  lua_setglobal(L, "next");
  lua_pushcfunction(L, l_pairs);
  lua_setglobal(L, "pairs");
}

}  // namespace vmmsim::lua
