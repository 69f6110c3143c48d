// lua_state_hash.hpp: the Lua binding's UserState: the scenario's part of the explorer's state
// fingerprints (lua_state_hash.cpp says how each value is written, and when it refuses).
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

#include "lua_binding.hpp"
#include "lua_bytecode.hpp"
#include "object_numbers.hpp"

namespace vmmsim::lua {

struct Closure;

class LuaStateHasher final : public UserState {
 public:
  explicit LuaStateHasher(Binding& b);
  ~LuaStateHasher() override;

  bool begin(StateHasher& h) override;
  bool body(const Body& body, StateHasher& h) override;
  bool thread(THREADHANDLE thread, StateHasher& h) override;
  bool callback(const EventCallback& callback, StateHasher& h) override;
  bool handler(const InterruptHandler& handler, StateHasher& h) override;
  bool block_id(BlockId id, StateHasher& h) override;
  bool end(StateHasher& h) override;

 private:
  struct Walk;
  bool value(int idx, int depth);
  bool table(int idx, int depth);
  struct TableMemo;
  bool unchanged(int idx, const TableMemo& memo);
  bool remember(int idx, int depth, TableMemo& memo);
  void anchor(int idx);
  void keep_alive(int idx);
  bool function(int idx, int depth);
  bool userdata(int idx, int depth);
  bool closure(const Closure& c);
  bool frames(lua_State* T);
  bool open_cells();
  struct Code {  // a function's bytecode: its dump, parsed, and the dump's 128-bit hash
    std::string dump;
    Proto proto;
    Fingerprint identity;
  };
  const Code* code_of(int idx);

  Binding& b_;
  std::unique_ptr<Walk> walk_;            // one fingerprint's walk (its memory kept between them)
  std::vector<lua_State*> started_;       // the Lua threads whose stacks were written
  std::unordered_map<std::uint64_t, std::unique_ptr<Code>> codes_;  // by the dump's 64-bit hash
  std::unordered_map<const void*, const Code*> by_closure_;         // by the closure's address
  std::unordered_map<const void*, std::unique_ptr<TableMemo>> memos_;  // by the table's address
  int anchors_ = LUA_NOREF;  // registry ref of a table keeping alive what the caches key by address
  ObjectNumbers anchored_;   // the strings in it
};

// open_state_matching_guards: with state matching, setmetatable with __gc or __mode and the
// collectgarbage options that report on memory mark the run (Binding::state_matching_refused):
// what they observe differs between runs that reach the same state, so no pruning can be sound.
void open_state_matching_guards(lua_State* L, Binding& b);

}  // namespace vmmsim::lua
