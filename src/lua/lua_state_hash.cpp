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
// A table's own entries (its keys, and the values that are not objects) are written as one digest,
// remembered per table for the run with the raw identities of its entries (TableMemo): the next
// fingerprint that finds the same keys and values in the same places reuses it and only walks the
// objects the table holds. The libraries' tables, which scenarios seldom change, then cost a scan.
// The strings a memo identifies by address are kept alive for the run (anchors), so an address
// always means the same text.
// What cannot be written exactly refuses the fingerprint (false): a table with keys that are not
// numbers, strings or booleans (their order is memory order), a table whose border is ambiguous (#t
// depends on its layout), weak tables and finalizers, coroutines, foreign userdata, debug hooks, the
// debug library, and any Lua stack that is not [body trampoline, Lua frames, a blocking service].
#include "lua_state_hash.hpp"
#include "core/binding.hpp"

#include <algorithm>
#include <bit>
#include <cstring>
#include <string>
#include <string_view>
#include <unordered_map>
#include <optional>
#include <span>
#include <unordered_set>
#include <utility>
#include <vector>

#include <xxhash.h>

#include "lua_bytecode.hpp"
#include "lua_closures.hpp"
#include "lua_limits.hpp"
#include "lua_suspension.hpp"

namespace vmmsim::lua {

namespace {

enum Tag : std::uint8_t {
  kNil = 0x40, kFalse, kTrue, kInteger, kFloat, kString, kTable, kSeen, kLuaFunction, kCFunction,
  kBindingPointer, kThreadBox, kVMBox, kRawUserdata, kCell, kFrame, kStackEnd, kOpenCell,
  kLightCFunction, kObjectSlot,
};

// kMaxDepth: nesting deeper than this refuses (the walk is recursive on a fiber's stack).
constexpr int kMaxDepth = 64;

// The services a thread can be suspended in whose C++ continuation, once resumed, depends only on
// their arguments and the simulator's state (kernel fingerprint.cpp's clean sites).
constexpr std::string_view kSuspendingServices[] = {
    "ring3", "hw_int", "Resume_Exec", "Exec_Int", "_BlockOnID", "Wait_Semaphore", "Begin_Critical_Section",
    "_EnterMutex", "Claim_Critical_Section",
};

bool is_suspending_service(lua_CFunction f) {
  static const std::unordered_set<lua_CFunction> services = [] {
    std::unordered_set<lua_CFunction> set;
    for (const luaL_Reg* list : {runtime_function_list(), service_function_list(), driver_function_list()})
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

// Key: a table key, or a value that is not an object (a primitive): written from here, ordered by
// key_less, and identified by raw() when a table memo is checked.
struct Key {
  int type = LUA_TNIL;
  bool is_integer = false;
  lua_Integer i = 0;
  lua_Number n = 0;
  std::string_view s;
  bool b = false;
  const void* p = nullptr;  // a string's address; a light C function or light userdata
};

// Raw: a primitive's identity (strings by address; the memo keeps them alive), or just "an object".
struct Raw {
  std::uint64_t bits = 0;
  std::uint8_t type = 0;  // LUA_T*, with 0x80 for floats; 0xFF: an object (walked every time)
  bool operator==(const Raw&) const = default;
};

Raw raw(const Key& k) {
  switch (k.type) {
    case LUA_TNUMBER:
      if (k.is_integer) return {static_cast<std::uint64_t>(k.i), LUA_TNUMBER};
      return {std::bit_cast<std::uint64_t>(k.n), LUA_TNUMBER | 0x80};
    case LUA_TBOOLEAN: return {k.b ? 1u : 0u, LUA_TBOOLEAN};
    default: return {reinterpret_cast<std::uintptr_t>(k.p), static_cast<std::uint8_t>(k.type)};
  }
}
constexpr Raw kObjectRaw{0, 0xFF};

enum class Kind { primitive, object, refused };

// primitive_of: the value at idx as a Key, if it is not an object. Light C functions (C functions
// without upvalues) are values in Lua: equal exactly when their code is.
Kind primitive_of(lua_State* W, int idx, const void* binding, Key& k) {
  idx = lua_absindex(W, idx);
  k.type = lua_type(W, idx);
  switch (k.type) {
    case LUA_TNIL: return Kind::primitive;
    case LUA_TBOOLEAN: k.b = lua_toboolean(W, idx); return Kind::primitive;
    case LUA_TNUMBER:
      k.is_integer = lua_isinteger(W, idx);
      if (k.is_integer) k.i = lua_tointeger(W, idx); else k.n = lua_tonumber(W, idx);
      return Kind::primitive;
    case LUA_TSTRING: {
      std::size_t len = 0;
      const char* s = lua_tolstring(W, idx, &len);  // a live string's text: valid while it lives
      k.s = std::string_view(s, len);
      k.p = lua_topointer(W, idx);
      return Kind::primitive;
    }
    case LUA_TLIGHTUSERDATA:
      k.p = lua_touserdata(W, idx);
      return k.p == binding ? Kind::primitive : Kind::refused;  // only the binding's pointer is known
    case LUA_TFUNCTION:
      if (lua_iscfunction(W, idx) && lua_getupvalue(W, idx, 1) == nullptr) {
        k.p = reinterpret_cast<const void*>(lua_tocfunction(W, idx));
        return Kind::primitive;
      }
      if (lua_iscfunction(W, idx)) lua_pop(W, 1);  // the upvalue lua_getupvalue pushed
      return Kind::object;
    default: return Kind::object;
  }
}

void write(StateHasher& h, const Key& k) {
  switch (k.type) {
    case LUA_TNIL: h.tag(kNil); break;
    case LUA_TBOOLEAN: h.tag(k.b ? kTrue : kFalse); break;
    case LUA_TNUMBER:
      if (k.is_integer) {
        h.tag(kInteger);
        h.i64(k.i);
      } else {
        h.tag(kFloat);
        h.f64(k.n);
      }
      break;
    case LUA_TSTRING:
      h.tag(kString);
      h.str(k.s);
      break;
    case LUA_TLIGHTUSERDATA: h.tag(kBindingPointer); break;
    default:  // a light C function: the same code in every run of this process
      h.tag(kLightCFunction);
      h.bytes(&k.p, sizeof k.p);
      break;
  }
}

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

bool orderable(const Key& k) {
  return k.type == LUA_TNUMBER || k.type == LUA_TSTRING || k.type == LUA_TBOOLEAN;
}

}  // namespace

struct LuaStateHasher::Walk {
  StateHasher* h = nullptr;
  ObjectNumbers objects;                   // tables, functions, userdata, cells
  std::vector<std::pair<int, int>> cells;  // (closure ref in the cells table, upvalue index)
  int cells_table = 0;                     // stack index in W of a table of closures with cells
  int scratch = 0;      // stack index in W of a table holding the objects of the tables being walked
  int scratch_top = 0;  // its slots in use
  std::vector<std::vector<std::pair<Key, Key>>> entries;  // per depth: a table's entries (remember)
  StateHasher own;      // a table's own entries, for its memo's digest
};

// TableMemo: a table's own entries as the last fingerprint found them: their raw identities in
// `next` order, the digest of the keys and primitive values in key order (objects as kObjectSlot),
// and, in key order, which of the objects (numbered in `next` order) each slot holds.
struct LuaStateHasher::TableMemo {
  bool valid = false;
  std::vector<std::pair<Raw, Raw>> raw;
  Fingerprint own;
  std::vector<std::uint32_t> objects;
};

LuaStateHasher::LuaStateHasher(Binding& b) : b_(b), walk_(std::make_unique<Walk>()) {}
LuaStateHasher::~LuaStateHasher() = default;

// value: writes the value at idx of W. W is the main state (no Lua code runs on it during a run).
bool LuaStateHasher::value(int idx, int depth) {
  lua_State* W = b_.L0;
  StateHasher& h = *walk_->h;
  if (depth > kMaxDepth || lua_checkstack(W, 8) == 0) return false;
  idx = lua_absindex(W, idx);
  Key k;
  switch (primitive_of(W, idx, &b_, k)) {
    case Kind::primitive: write(h, k); return true;
    case Kind::refused: return false;
    case Kind::object: break;
  }
  if (std::uint64_t n = walk_->objects.number(lua_topointer(W, idx)); n != ObjectNumbers::kNew) {
    h.tag(kSeen);
    h.u64(n);
    return true;
  }
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
  std::unique_ptr<TableMemo>& slot = memos_[lua_topointer(W, idx)];
  if (slot == nullptr) slot = std::make_unique<TableMemo>();
  TableMemo& memo = *slot;
  int base = walk_->scratch_top;
  if (!(memo.valid && unchanged(idx, memo)) && !remember(idx, depth, memo)) {
    memo.valid = false;
    return false;
  }
  h.u64(memo.own.low);
  h.u64(memo.own.high);
  for (std::uint32_t object : memo.objects) {
    lua_rawgeti(W, walk_->scratch, base + 1 + static_cast<int>(object));
    if (!value(-1, depth + 1)) return false;
    lua_pop(W, 1);
  }
  walk_->scratch_top = base;
  return true;
}

// unchanged: whether the table at idx has the entries memo saw, in the same places; on the way, its
// objects go to the scratch table's next slots, in `next` order.
bool LuaStateHasher::unchanged(int idx, const TableMemo& memo) {
  lua_State* W = b_.L0;
  int base = walk_->scratch_top;
  int objects = 0;
  std::size_t i = 0;
  lua_pushnil(W);
  while (lua_next(W, idx) != 0) {
    Key k, v;
    bool same = i < memo.raw.size() && primitive_of(W, -2, &b_, k) == Kind::primitive &&
                raw(k) == memo.raw[i].first;
    Kind kind = same ? primitive_of(W, -1, &b_, v) : Kind::refused;
    same = same && (kind == Kind::object ? kObjectRaw : raw(v)) == memo.raw[i].second;
    if (!same) {
      lua_pop(W, 2);
      walk_->scratch_top = base;
      return false;
    }
    ++i;
    if (kind == Kind::object) lua_rawseti(W, walk_->scratch, base + ++objects); else lua_pop(W, 1);
  }
  if (i != memo.raw.size()) {
    walk_->scratch_top = base;
    return false;
  }
  walk_->scratch_top = base + objects;
  return true;
}

// remember: makes memo describe the table at idx as it is now (objects to the scratch table, as in
// unchanged); false when the table cannot be written exactly.
bool LuaStateHasher::remember(int idx, int depth, TableMemo& memo) {
  lua_State* W = b_.L0;
  int base = walk_->scratch_top;
  if (walk_->entries.size() <= static_cast<std::size_t>(depth)) walk_->entries.resize(depth + 1);
  auto& entries = walk_->entries[depth];
  entries.clear();
  memo.raw.clear();
  memo.objects.clear();
  int objects = 0;
  lua_Integer positive = 0, max_positive = 0;
  lua_pushnil(W);
  while (lua_next(W, idx) != 0) {
    Key k, v;
    primitive_of(W, -2, &b_, k);
    Kind kind = primitive_of(W, -1, &b_, v);
    if (!orderable(k) || kind == Kind::refused) {  // a table as key: its order is memory order
      lua_pop(W, 2);
      return false;
    }
    if (k.type == LUA_TNUMBER && k.is_integer && k.i > 0) {
      ++positive;
      max_positive = std::max(max_positive, k.i);
    }
    anchor(-2);
    memo.raw.emplace_back(raw(k), kind == Kind::object ? kObjectRaw : raw(v));
    if (kind == Kind::object) {
      v.type = LUA_TNONE;
      v.i = objects;
      lua_rawseti(W, walk_->scratch, base + ++objects);
    } else {
      anchor(-1);
      lua_pop(W, 1);
    }
    entries.emplace_back(k, v);
  }
  walk_->scratch_top = base + objects;
  if (max_positive != positive) return false;  // holes: #t may give any border
  std::sort(entries.begin(), entries.end(), [](const auto& x, const auto& y) { return key_less(x.first, y.first); });
  StateHasher& own = walk_->own;
  own.reset();
  own.u64(entries.size());
  for (const auto& [k, v] : entries) {
    write(own, k);
    if (v.type == LUA_TNONE) {
      own.tag(kObjectSlot);
      memo.objects.push_back(static_cast<std::uint32_t>(v.i));
    } else {
      write(own, v);
    }
  }
  memo.own = own.digest();
  memo.valid = true;
  return true;
}

// anchor: keeps the string at idx alive for the run, so that its address, which memos compare,
// never comes to mean another text.
void LuaStateHasher::anchor(int idx) {
  lua_State* W = b_.L0;
  if (lua_type(W, idx) == LUA_TSTRING && anchored_.number(lua_topointer(W, idx)) == ObjectNumbers::kNew)
    keep_alive(idx);
}

// keep_alive: puts the value at idx in the anchors table, which lives as long as the run.
void LuaStateHasher::keep_alive(int idx) {
  lua_State* W = b_.L0;
  idx = lua_absindex(W, idx);
  lua_rawgeti(W, LUA_REGISTRYINDEX, anchors_);
  lua_pushvalue(W, idx);
  lua_pushboolean(W, 1);
  lua_rawset(W, -3);
  lua_pop(W, 1);
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
    if (std::uint64_t number = walk_->objects.number(lua_upvalueid(W, idx, n)); number != ObjectNumbers::kNew) {
      h.tag(kSeen);
      h.u64(number);
      lua_pop(W, 1);
      continue;
    }
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

// code_of: the parsed bytecode of the Lua function at idx: by the closure's address for the rest of
// the run (the closure is kept alive, so the address keeps its meaning), otherwise found by its
// dump (compared whole, so a hit is never another function's code).
const LuaStateHasher::Code* LuaStateHasher::code_of(int idx) {
  lua_State* W = b_.L0;
  idx = lua_absindex(W, idx);
  const void* closure = lua_topointer(W, idx);
  if (auto it = by_closure_.find(closure); it != by_closure_.end()) return it->second;
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
  keep_alive(idx);
  by_closure_.emplace(closure, slot.get());
  return slot.get();
}

// frames: writes the stack of a started simulated thread: [body trampoline, Lua frames, service].
bool LuaStateHasher::frames(lua_State* T) {
  lua_State* W = b_.L0;
  StateHasher& h = *walk_->h;
  // vmmsim's own step hook (lua_limits.hpp) only counts instructions between calls into vmm, and
  // every thread here stands in such a call; any other hook could act at any instruction.
  if ((lua_gethook(T) != nullptr && !is_step_limit_hook(lua_gethook(T))) || lua_status(T) != LUA_OK) return false;
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
  walk_->h = &h;
  walk_->objects.clear();
  walk_->cells.clear();
  started_.clear();
  if (anchors_ == LUA_NOREF) {
    lua_newtable(W);
    anchors_ = luaL_ref(W, LUA_REGISTRYINDEX);
  }
  lua_createtable(W, 8, 0);
  walk_->cells_table = lua_gettop(W);
  lua_createtable(W, 64, 0);
  walk_->scratch = lua_gettop(W);
  walk_->scratch_top = 0;
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
  auto* T = static_cast<lua_State*>(binding::user_data(thread));
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
  walk_->h = nullptr;
  started_.clear();
  return ok;
}

}  // namespace vmmsim::lua
