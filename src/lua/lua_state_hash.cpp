// lua_state_hash.cpp: the scenario's part of a state fingerprint (vmmsim/state_hash.hpp): every Lua
// value reachable from the globals, the bodies, callbacks and handlers the simulator holds, and the
// stack of every started Lua thread, written so that two states get the same bytes exactly when
// they are the same up to where objects sit in memory (model.md section 7, "Pruning").
//
// How each thing is written:
//   * tables, functions and upvalue cells are objects: the first meeting writes the object and
//     numbers it, a later one writes its number; so sharing and cycles are part of the state;
//   * a table's entries in the order of vmm's fixed `next` (numbers, strings, booleans), its
//     metatable first; a function's bytecode (lua_dump) and its upvalues;
//   * a suspended Lua frame: its function, the one instruction it is at (lua_bytecode.hpp: from the
//     line and the number of stack slots), and every slot, locals and temporaries alike;
//   * an upvalue cell still open on a live frame is written with the slot it aliases (found by
//     writing a sentinel into the cell and looking for it in the frames), since whether a closure
//     shares a variable with a running frame changes what later assignments do.
// What cannot be written exactly refuses the fingerprint (false): a table with keys that are not
// numbers, strings or booleans (their order is memory order), a table whose border is ambiguous (#t
// depends on its layout), weak tables and finalizers, coroutines, foreign userdata, debug hooks, the
// debug library, and any Lua stack that is not [body trampoline, Lua frames, a blocking service].
#include "lua_state_hash.hpp"

#include <algorithm>
#include <cstring>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <utility>
#include <vector>

#include <xxhash.h>

#include "lua_bytecode.hpp"
#include "lua_closures.hpp"
#include "lua_suspension.hpp"

namespace vmmsim::lua {

namespace {

enum Tag : std::uint8_t {
  kNil = 0x40, kFalse, kTrue, kInteger, kFloat, kString, kTable, kSeen, kLuaFunction, kCFunction,
  kBindingPointer, kThreadBox, kVMBox, kRawUserdata, kCell, kFrame, kStackEnd, kOpenCell,
};

// kMaxDepth: nesting deeper than this refuses (the walk is recursive on a fiber's stack).
constexpr int kMaxDepth = 64;

// The services a thread can be suspended in whose C++ continuation, once resumed, depends only on
// their arguments and the simulator's state (kernel fingerprint.cpp's clean sites).
constexpr std::string_view kSuspendingServices[] = {
    "ring3", "hw_int", "Resume_Exec", "Exec_Int", "_BlockOnID", "Wait_Semaphore", "Begin_Critical_Section",
};

bool is_suspending_service(lua_CFunction f) {
  static const std::unordered_set<lua_CFunction> services = [] {
    std::unordered_set<lua_CFunction> set;
    for (const luaL_Reg* list : {runtime_function_list(), service_function_list()})
      for (const luaL_Reg* r = list; r->name != nullptr; ++r)
        if (std::find(std::begin(kSuspendingServices), std::end(kSuspendingServices), r->name) !=
            std::end(kSuspendingServices))
          set.insert(r->func);
    return set;
  }();
  return services.count(f) != 0;
}

int dump_writer(lua_State*, const void* p, std::size_t size, void* ud) {
  static_cast<std::string*>(ud)->append(static_cast<const char*>(p), size);
  return 0;
}

// Key: a table key of a type with a fixed order.
struct Key {
  int type = LUA_TNIL;
  bool is_integer = false;
  lua_Integer i = 0;
  lua_Number n = 0;
  std::string_view s;
  bool b = false;
};

bool key_less(const Key& x, const Key& y) {
  auto rank = [](const Key& k) { return k.type == LUA_TNUMBER ? 0 : k.type == LUA_TSTRING ? 1 : 2; };
  if (rank(x) != rank(y)) return rank(x) < rank(y);
  if (x.type == LUA_TNUMBER) {
    if (x.is_integer && y.is_integer) return x.i < y.i;
    lua_Number a = x.is_integer ? static_cast<lua_Number>(x.i) : x.n;
    lua_Number c = y.is_integer ? static_cast<lua_Number>(y.i) : y.n;
    if (a != c) return a < c;
    return x.is_integer && !y.is_integer;  // 2^53 and 2^53+1 as float: any fixed order
  }
  if (x.type == LUA_TSTRING) return x.s < y.s;
  return !x.b && y.b;
}

}  // namespace

struct LuaStateHasher::Walk {
  StateHasher* h = nullptr;
  std::unordered_map<const void*, std::uint64_t> objects;  // tables, functions, userdata, cells
  std::vector<std::pair<int, int>> cells;  // (closure ref in the cells table, upvalue index)
  int cells_table = 0;                     // stack index in W of a table of closures with cells
};

LuaStateHasher::LuaStateHasher(Binding& b) : b_(b) {}
LuaStateHasher::~LuaStateHasher() = default;

// value: writes the value at idx of W. W is the main state (no Lua code runs on it during a run).
bool LuaStateHasher::value(int idx, int depth) {
  lua_State* W = b_.L0;
  StateHasher& h = *walk_->h;
  if (depth > kMaxDepth || lua_checkstack(W, 8) == 0) return false;
  idx = lua_absindex(W, idx);
  switch (lua_type(W, idx)) {
    case LUA_TNIL:
      h.tag(kNil);
      return true;
    case LUA_TBOOLEAN:
      h.tag(lua_toboolean(W, idx) ? kTrue : kFalse);
      return true;
    case LUA_TNUMBER:
      if (lua_isinteger(W, idx)) {
        h.tag(kInteger);
        h.i64(lua_tointeger(W, idx));
      } else {
        h.tag(kFloat);
        h.f64(lua_tonumber(W, idx));
      }
      return true;
    case LUA_TSTRING: {
      std::size_t len = 0;
      const char* s = lua_tolstring(W, idx, &len);
      h.tag(kString);
      h.str(std::string_view(s, len));
      return true;
    }
    case LUA_TLIGHTUSERDATA:
      if (lua_touserdata(W, idx) != &b_) return false;  // only the binding's own pointer is known
      h.tag(kBindingPointer);
      return true;
    default:
      break;
  }
  const void* p = lua_topointer(W, idx);
  if (auto it = walk_->objects.find(p); it != walk_->objects.end()) {
    h.tag(kSeen);
    h.u64(it->second);
    return true;
  }
  walk_->objects.emplace(p, walk_->objects.size());
  switch (lua_type(W, idx)) {
    case LUA_TTABLE: return table(idx, depth);
    case LUA_TFUNCTION: return function(idx, depth);
    case LUA_TUSERDATA: return userdata(idx, depth);
    default: return false;  // coroutines: their stacks are not walked
  }
}

bool LuaStateHasher::table(int idx, int depth) {
  lua_State* W = b_.L0;
  StateHasher& h = *walk_->h;
  h.tag(kTable);
  if (lua_getmetatable(W, idx)) {
    // Weak tables and finalizers make the state depend on when the collector runs.
    bool gc = lua_getfield(W, -1, "__gc") != LUA_TNIL;
    bool weak = lua_getfield(W, -2, "__mode") != LUA_TNIL;
    lua_pop(W, 2);
    if (gc || weak || !value(-1, depth + 1)) return false;
    lua_pop(W, 1);
  } else {
    h.tag(kNil);
  }
  std::vector<Key> keys;
  lua_Integer positive = 0, max_positive = 0;
  lua_pushnil(W);
  while (lua_next(W, idx) != 0) {
    lua_pop(W, 1);
    Key k;
    k.type = lua_type(W, -1);
    if (k.type == LUA_TNUMBER) {
      k.is_integer = lua_isinteger(W, -1);
      if (k.is_integer) {
        k.i = lua_tointeger(W, -1);
        if (k.i > 0) {
          ++positive;
          max_positive = std::max(max_positive, k.i);
        }
      } else {
        k.n = lua_tonumber(W, -1);
      }
    } else if (k.type == LUA_TSTRING) {
      std::size_t len = 0;
      const char* s = lua_tolstring(W, -1, &len);  // a key of a live table: the text stays valid
      k.s = std::string_view(s, len);
    } else if (k.type == LUA_TBOOLEAN) {
      k.b = lua_toboolean(W, -1);
    } else {
      lua_pop(W, 1);
      return false;  // tables, functions ... as keys: their order is memory order
    }
    keys.push_back(k);
  }
  if (max_positive != positive) return false;  // holes: #t may give any border
  std::sort(keys.begin(), keys.end(), key_less);
  h.u64(keys.size());
  for (const Key& k : keys) {
    switch (k.type) {
      case LUA_TNUMBER:
        if (k.is_integer) lua_pushinteger(W, k.i); else lua_pushnumber(W, k.n);
        break;
      case LUA_TSTRING: lua_pushlstring(W, k.s.data(), k.s.size()); break;
      default: lua_pushboolean(W, k.b); break;
    }
    if (!value(-1, depth + 1)) return false;
    lua_rawget(W, idx);
    if (!value(-1, depth + 1)) return false;
    lua_pop(W, 1);
  }
  return true;
}

bool LuaStateHasher::function(int idx, int depth) {
  lua_State* W = b_.L0;
  StateHasher& h = *walk_->h;
  if (lua_iscfunction(W, idx)) {
    h.tag(kCFunction);
    lua_CFunction f = lua_tocfunction(W, idx);
    h.bytes(&f, sizeof f);  // the same code in every run of this process
  } else {
    h.tag(kLuaFunction);
    const Code* code = code_of(idx);
    if (code == nullptr) return false;
    h.u64(code->identity.low);
    h.u64(code->identity.high);
  }
  for (int n = 1;; ++n) {
    if (lua_getupvalue(W, idx, n) == nullptr) break;
    void* cell = lua_upvalueid(W, idx, n);
    if (auto it = walk_->objects.find(cell); it != walk_->objects.end()) {
      h.tag(kSeen);
      h.u64(it->second);
      lua_pop(W, 1);
      continue;
    }
    walk_->objects.emplace(cell, walk_->objects.size());
    h.tag(kCell);
    if (!value(-1, depth + 1)) return false;
    lua_pop(W, 1);
    if (!lua_iscfunction(W, idx)) {  // remember it for the open-cell check
      lua_pushvalue(W, idx);
      int ref = static_cast<int>(walk_->cells.size()) + 1;
      lua_rawseti(W, walk_->cells_table, ref);
      walk_->cells.emplace_back(ref, n);
    }
  }
  h.tag(kStackEnd);
  return true;
}

bool LuaStateHasher::userdata(int idx, int depth) {
  lua_State* W = b_.L0;
  StateHasher& h = *walk_->h;
  if (THREADHANDLE t = to_thread(W, idx)) {
    h.tag(kThreadBox);
    h.u64(thread_index(t));
    return true;
  }
  if (VMHANDLE vm = to_vm(W, idx)) {
    h.tag(kVMBox);
    h.u64(vm_index(vm));
    return true;
  }
  if (lua_getmetatable(W, idx)) {  // another library's object (a file ...): not described
    lua_pop(W, 1);
    return false;
  }
  // Plain memory, such as math.random's generator state.
  h.tag(kRawUserdata);
  std::size_t size = lua_rawlen(W, idx);
  h.u64(size);
  h.bytes(lua_touserdata(W, idx), size);
  for (int n = 1; lua_getiuservalue(W, idx, n) != LUA_TNONE; ++n) {
    if (!value(-1, depth + 1)) return false;
    lua_pop(W, 1);
  }
  lua_pop(W, 1);  // the LUA_TNONE pushed nil
  return true;
}

// code_of: the parsed bytecode of the Lua function at idx, cached by its dump (compared whole, so
// a cache hit is never another function's code).
const LuaStateHasher::Code* LuaStateHasher::code_of(int idx) {
  lua_State* W = b_.L0;
  std::string dump;
  lua_pushvalue(W, idx);
  int status = lua_dump(W, dump_writer, &dump, 0);
  lua_pop(W, 1);
  if (status != 0) return nullptr;
  auto& slot = codes_[XXH3_64bits(dump.data(), dump.size())];
  if (slot == nullptr) {
    std::optional<Proto> parsed =
        parse_chunk(std::span(reinterpret_cast<const unsigned char*>(dump.data()), dump.size()));
    if (!parsed) return nullptr;
    XXH128_hash_t id = XXH3_128bits(dump.data(), dump.size());
    slot = std::make_unique<Code>(Code{std::move(dump), std::move(*parsed), {id.low64, id.high64}});
  } else if (slot->dump != dump) {
    return nullptr;  // two functions whose dumps share a 64-bit hash: refuse rather than guess
  }
  return slot.get();
}

// frames: writes the stack of a started simulated thread: [body trampoline, Lua frames, service].
bool LuaStateHasher::frames(lua_State* T) {
  lua_State* W = b_.L0;
  StateHasher& h = *walk_->h;
  if (lua_gethook(T) != nullptr || lua_status(T) != LUA_OK) return false;
  lua_Debug ar;
  int levels = 0;
  while (lua_getstack(T, levels, &ar) != 0) ++levels;
  if (levels < 2) return false;
  for (int level = 0; level < levels; ++level) {
    lua_getstack(T, level, &ar);
    if (lua_checkstack(T, 2) == 0 || lua_getinfo(T, "Slf", &ar) == 0) return false;
    lua_xmove(T, W, 1);  // the function
    bool is_c = lua_iscfunction(W, -1);
    lua_CFunction f = is_c ? lua_tocfunction(W, -1) : nullptr;
    if (level == levels - 1) {  // the bottom: the trampoline that called the body
      lua_pop(W, 1);
      if (!is_c || !is_body_trampoline(f)) return false;
      h.tag(kStackEnd);
      return true;
    }
    if (level == 0 ? !(is_c && is_suspending_service(f)) : is_c) {
      lua_pop(W, 1);
      return false;
    }
    h.tag(kFrame);
    if (!value(-1, 1)) return false;
    int nslots = 0;
    for (int n = 1;; ++n) {
      if (lua_getlocal(T, &ar, n) == nullptr) break;
      lua_xmove(T, W, 1);
      if (!value(-1, 1)) return false;
      lua_pop(W, 1);
      nslots = n;
    }
    if (level > 0) {
      const Code* code = code_of(-1);
      std::optional<int> pc = code ? suspended_pc(code->proto, ar.currentline, nslots, call_out(T, level)) : std::nullopt;
      if (!pc) return false;  // two places on one line could be suspended here
      h.u64(static_cast<std::uint64_t>(*pc));
      for (int n = -1;; --n) {  // the varargs
        if (lua_getlocal(T, &ar, n) == nullptr) break;
        lua_xmove(T, W, 1);
        if (!value(-1, 1)) return false;
        lua_pop(W, 1);
      }
    }
    h.u64(static_cast<std::uint64_t>(nslots));
    lua_pop(W, 1);
  }
  return false;
}

// open_cells: for each upvalue cell met, the frame slot it aliases, if any (a cell is open while
// the frame that declared the variable runs). A sentinel written into the cell shows where.
bool LuaStateHasher::open_cells() {
  lua_State* W = b_.L0;
  StateHasher& h = *walk_->h;
  static const char sentinel = 0;
  for (const auto& [ref, n] : walk_->cells) {
    lua_rawgeti(W, walk_->cells_table, ref);  // the closure
    lua_getupvalue(W, -1, n);                 // its value now
    lua_pushlightuserdata(W, const_cast<char*>(&sentinel));
    lua_setupvalue(W, -3, n);
    std::int64_t where = -1;
    for (std::size_t ti = 0; ti < started_.size() && where < 0; ++ti) {
      lua_State* T = started_[ti];
      lua_Debug ar;
      for (int level = 0; lua_getstack(T, level, &ar) != 0 && where < 0; ++level)
        for (int slot = 1;; ++slot) {
          if (lua_getlocal(T, &ar, slot) == nullptr) break;
          bool found = lua_touserdata(T, -1) == &sentinel;
          lua_pop(T, 1);
          if (found) {
            where = static_cast<std::int64_t>(ti) << 32 | static_cast<std::int64_t>(level) << 16 | slot;
            break;
          }
        }
    }
    lua_setupvalue(W, -2, n);  // restores the value
    lua_pop(W, 1);
    if (where >= 0) {
      h.tag(kOpenCell);
      h.u64(static_cast<std::uint64_t>(ref));
      h.i64(where);
    }
  }
  return true;
}

bool LuaStateHasher::begin(StateHasher& h) {
  lua_State* W = b_.L0;
  if (lua_gettop(W) != 0 || !b_.state_matching_allowed) return false;
  walk_ = std::make_unique<Walk>();
  walk_->h = &h;
  started_.clear();
  lua_createtable(W, 8, 0);
  walk_->cells_table = lua_gettop(W);
  // The debug library reaches anything (locals, the registry, hooks): not described.
  lua_getfield(W, LUA_REGISTRYINDEX, LUA_LOADED_TABLE);
  bool debug_open = lua_getfield(W, -1, LUA_DBLIBNAME) != LUA_TNIL;
  lua_pop(W, 2);
  if (debug_open) return false;
  // A traversal under way keeps a snapshot of its table's keys (lua_next.cpp), which decides what
  // `next` answers for keys added or cleared since: not described, so no fingerprint mid-traversal.
  bool traversing = false;
  if (lua_getfield(W, LUA_REGISTRYINDEX, kNextCacheKey) == LUA_TTABLE) {
    lua_pushnil(W);
    traversing = lua_next(W, -2) != 0;
    if (traversing) lua_pop(W, 2);
  }
  lua_pop(W, 1);
  if (traversing) return false;
  lua_rawgeti(W, LUA_REGISTRYINDEX, LUA_RIDX_GLOBALS);
  bool ok = value(-1, 0);
  lua_pop(W, 1);
  if (!ok) return false;
  lua_getfield(W, LUA_REGISTRYINDEX, LUA_LOADED_TABLE);
  ok = value(-1, 0);
  lua_pop(W, 1);
  if (!ok) return false;
  lua_pushliteral(W, "");
  if (lua_getmetatable(W, -1)) {
    ok = value(-1, 0);
    lua_pop(W, 1);
  }
  lua_pop(W, 1);
  for (int fn : b_.on_exit) {
    lua_rawgeti(W, LUA_REGISTRYINDEX, fn);
    ok = ok && value(-1, 0);
    lua_pop(W, 1);
  }
  return ok;
}

bool LuaStateHasher::closure(const Closure& c) {
  lua_State* W = b_.L0;
  lua_rawgeti(W, LUA_REGISTRYINDEX, c.fn.get());
  bool ok = value(-1, 0);
  lua_pop(W, 1);
  lua_rawgeti(W, LUA_REGISTRYINDEX, c.refdata.get());
  ok = ok && value(-1, 0);
  lua_pop(W, 1);
  return ok;
}

bool LuaStateHasher::body(const Body& body, StateHasher&) {
  const LuaBody* f = body.target<LuaBody>();
  return f != nullptr && closure(*f->closure);
}

bool LuaStateHasher::callback(const EventCallback& callback, StateHasher&) {
  const LuaCallback* f = callback.target<LuaCallback>();
  return f != nullptr && closure(*f->closure);
}

bool LuaStateHasher::handler(const InterruptHandler& handler, StateHasher&) {
  const LuaHandler* f = handler.target<LuaHandler>();
  return f != nullptr && closure(*f->closure);
}

bool LuaStateHasher::thread(THREADHANDLE thread, StateHasher&) {
  auto* T = static_cast<lua_State*>(Machine::user_data(thread));
  if (T == nullptr) return false;
  started_.push_back(T);
  return frames(T);
}

bool LuaStateHasher::block_id(BlockId id, StateHasher& h) {
  if ((id >> 63) == 0) {
    h.tag(kInteger);
    h.u64(id);
    return true;
  }
  std::uint64_t index = id & ~(BlockId{1} << 63);
  if (index >= b_.id_strings.size()) return false;
  h.tag(kString);
  h.str(*b_.id_strings[index]);
  return true;
}

bool LuaStateHasher::end(StateHasher&) {
  bool ok = open_cells();
  lua_settop(b_.L0, 0);
  walk_.reset();
  started_.clear();
  return ok;
}

}  // namespace vmmsim::lua
