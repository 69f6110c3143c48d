// lua_suspension.cpp: where each Lua 5.4.4 instruction puts the functions it calls (the table), and
// suspended_pc's search of a prototype with it.
//
// A frame calls out when the VM (lvm.c luaV_execute), or something it calls, runs a function with
// luaD_call/luaD_precall while the frame's CallInfo is still there. Except for OP_CALL, OP_TAILCALL
// and OP_TFORCALL, the called function goes at L->top, so each row below says what L->top is when
// the instruction calls out: a range [lo, hi] of slots above the frame's base, left open above
// where the top cannot be pinned down.
//
// Instructions without a row never call out: MOVE, LOADI, LOADF, LOADK, LOADKX, LOADFALSE,
// LFALSESKIP, LOADTRUE, LOADNIL, GETUPVAL, SETUPVAL; the arithmetic and bitwise instructions (their
// fast paths only: on failure the OP_MMBIN* after them calls the metamethod); NOT; TBC and TFORPREP
// (lfunc.c luaF_newtbcupval only looks the __close up); JMP; EQK and EQI (raw equality); TEST,
// TESTSET; RETURN without k, RETURN0, RETURN1; FORLOOP, FORPREP, TFORLOOP; SETLIST (its allocations
// can only start an emergency collection, which runs no finalizer: lgc.c GCScallfin); VARARG with
// C != 0; VARARGPREP (ltm.c luaT_adjustvarargs: luaD_checkstack, which does not collect); EXTRAARG.
// Errors and hooks are outside the model (lua_suspension.hpp).
#include "lua_suspension.hpp"

#include <algorithm>
#include <array>
#include <climits>
#include <cstddef>
#include <cstdint>
#include <string_view>
#include <vector>

namespace vmmsim::lua {

namespace {

// Slot: a bound of the called function's slot, in the instruction's operands and the frame's size
// (ci->top = base + maxstacksize, ldo.c luaD_precall).
enum class Slot : std::uint8_t {
  a,          // R[A]
  a1,         // R[A+1]
  a2,         // R[A+2]
  a4,         // R[A+4]
  a5,         // R[A+5]
  a7,         // R[A+7]
  ab,         // R[A+B]
  args_end,   // the end of a call's arguments: R[A+B]; when B == 0, the top the previous
              // instruction left, which is past R[A]: R[A+1] or above
  frame,      // ci->top: Protect and savestate (lvm.c) set L->top = ci->top
  frame3,     // ci->top + 3
  tbc2,       // a to-be-closed variable's slot + 2, for each one at R[A] or above: a set, so only
              // as lo == hi
  tbc5,       // the lowest to-be-closed variable's slot at R[A] or above, + 5
  unbounded,  // no bound
};

// When: a condition on the instruction for its row to apply.
enum class When : std::uint8_t { always, k, c_zero };

struct Row {
  OpCode op;
  Via via;
  Slot lo;
  Slot hi;
  When when = When::always;
  Event event = Event::index;  // for Via::metamethod, unless event_in_c
  bool event_in_c = false;     // OP_MMBIN*: the event is operand C (ltm.h TMS)
  int pc_shift = 0;            // currentpc is this many instructions further (OP_NEWTABLE)
};

using enum OpCode;
constexpr Via kCall = Via::call;
constexpr Via kMeta = Via::metamethod;
constexpr Via kFin = Via::finalizer;

// meta: a metamethod row: Protect (lvm.c savestate: L->top = ci->top), then ltm.c luaT_callTMres
// or luaT_callTM pushes the metamethod at L->top.
constexpr Row meta(OpCode op, Event e) {
  return Row{op, kMeta, Slot::frame, Slot::frame, When::always, e};
}
constexpr Row meta_c(OpCode op) {
  return Row{op, kMeta, Slot::frame, Slot::frame, When::always, Event::index, true};
}
// meta_gc: the finalizer row of a metamethod row. The metamethod's call (ldo.c luaD_precall or
// precallC, and luaD_tryfuncTM for a callable that is not a function) grows the stack with
// checkstackGCp once the metamethod and its 2 or 3 arguments are pushed, one slot higher for each
// __call in a chain: the __gc goes at ci->top + 3 or above.
constexpr Row meta_gc(OpCode op, When when = When::always) {
  return Row{op, kFin, Slot::frame3, Slot::unbounded, when};
}

// clang-format off
constexpr std::array kRows = {
    // --- calls ----------------------------------------------------------------------------------
    // lvm.c OP_CALL: luaD_precall(L, ra, nresults); a __call metamethod takes the callable's slot
    // (ldo.c luaD_tryfuncTM: setobj2s(L, func, tm)).
    Row{CALL, kCall, Slot::a, Slot::a},
    // lvm.c OP_TAILCALL, ldo.c luaD_pretailcall: a Lua function replaces the frame, but a C
    // function runs in a new CallInfo above it (precallC), the frame still at OP_TAILCALL.
    Row{TAILCALL, kCall, Slot::a, Slot::a},
    // lvm.c OP_TFORCALL: memcpy(ra + 4, ra, ...); luaD_call(L, ra + 4, C).
    Row{TFORCALL, Via::for_iterator, Slot::a4, Slot::a4},

    // --- metamethods (ldebug.c funcnamefromcode names the same events) --------------------------
    // lvm.c luaV_finishget -> luaT_callTMres(L, tm, t, key, val).
    meta(GETTABUP, Event::index), meta(GETTABLE, Event::index), meta(GETI, Event::index),
    meta(GETFIELD, Event::index), meta(SELF, Event::index),
    // lvm.c luaV_finishset -> luaT_callTM(L, tm, t, key, val).
    meta(SETTABUP, Event::newindex), meta(SETTABLE, Event::newindex),
    meta(SETI, Event::newindex), meta(SETFIELD, Event::newindex),
    // lvm.c OP_MMBIN, OP_MMBINI, OP_MMBINK: ltm.c luaT_trybinTM (through luaT_trybiniTM,
    // luaT_trybinassocTM) -> callbinTM -> luaT_callTMres, the event being C.
    meta_c(MMBIN), meta_c(MMBINI), meta_c(MMBINK),
    // lvm.c OP_UNM, OP_BNOT: luaT_trybinTM(L, rb, rb, ra, TM_UNM or TM_BNOT).
    meta(UNM, Event::unm), meta(BNOT, Event::bnot),
    // lvm.c OP_LEN: luaV_objlen -> luaT_callTMres.
    meta(LEN, Event::len),
    // lvm.c OP_EQ: luaV_equalobj -> luaT_callTMres(L, tm, t1, t2, L->top).
    meta(EQ, Event::eq),
    // lvm.c op_order, op_orderI: lessthanothers, lessequalothers, luaT_callorderiTM ->
    // luaT_callorderTM -> callbinTM. (__le emulated with __lt, LUA_COMPAT_LT_LE, is called at the
    // same slot and named after the instruction.)
    meta(LT, Event::lt), meta(LTI, Event::lt), meta(GTI, Event::lt),
    meta(LE, Event::le), meta(LEI, Event::le), meta(GEI, Event::le),
    // lvm.c OP_CONCAT: L->top = ra + n; luaV_concat calls luaT_tryconcatTM at the top of each
    // pass, and each pass lowers the top by one or more, from ra + n down to ra + 2.
    Row{CONCAT, kMeta, Slot::a2, Slot::ab, When::always, Event::concat},
    // lvm.c OP_CLOSE: Protect(luaF_close(L, ra, LUA_OK, 1)). lfunc.c prepcallclosemth, for a
    // status other than CLOSEKTOP, calls luaD_seterrorobj(L, LUA_OK, level + 1), which sets
    // L->top = level + 2, and callclosemethod pushes the handler there; for each to-be-closed
    // variable from ra up, which lvm.c marks (luaF_newtbcupval) at OP_TBC's R[A] and OP_TFORPREP's
    // R[A+3].
    Row{CLOSE, kMeta, Slot::tbc2, Slot::tbc2, When::always, Event::close},
    // lvm.c OP_RETURN with k: if (L->top < ci->top) L->top = ci->top; luaF_close(L, base,
    // CLOSEKTOP, 1): callclosemethod at L->top, which is above ci->top when B == 0 left the
    // results' top there, or when an earlier instruction (OP_SETLIST with B == 0) left it stale.
    Row{RETURN, kMeta, Slot::frame, Slot::unbounded, When::k, Event::close},

    // --- finalizers: lgc.c GCTM pushes the __gc at L->top. luaC_step runs them (GCScallfin; not in
    // an emergency collection) when luaC_condGC or luaC_checkGC finds the collector in debt -----
    // lvm.c OP_NEWTABLE: pc++ skips OP_EXTRAARG before checkGC(L, ra + 1) saves the pc.
    Row{NEWTABLE, kFin, Slot::a1, Slot::a1, When::always, Event::index, false, 1},
    // lvm.c OP_CLOSURE: checkGC(L, ra + 1).
    Row{CLOSURE, kFin, Slot::a1, Slot::a1},
    // lvm.c OP_CONCAT: checkGC(L, L->top), luaV_concat having left L->top = ra + 1.
    Row{CONCAT, kFin, Slot::a1, Slot::a1},
    // lvm.c OP_VARARG: Protect(luaT_getvarargs), which for C == 0 grows the stack with
    // checkstackGCp while L->top = ci->top.
    Row{VARARG, kFin, Slot::frame, Slot::frame, When::c_zero},
    // ldo.c luaD_precall, precallC, luaD_pretailcall and luaD_tryfuncTM grow the stack with
    // checkstackGCp while L->top ends the arguments, one slot higher for each __call in a chain.
    Row{CALL, kFin, Slot::args_end, Slot::unbounded},
    Row{TAILCALL, kFin, Slot::args_end, Slot::unbounded},
    // lvm.c OP_TFORCALL: L->top = ra + 4 + 3 before luaD_call.
    Row{TFORCALL, kFin, Slot::a7, Slot::unbounded},
    // The calls of the metamethods above (meta_gc).
    meta_gc(GETTABUP), meta_gc(GETTABLE), meta_gc(GETI), meta_gc(GETFIELD), meta_gc(SELF),
    meta_gc(SETTABUP), meta_gc(SETTABLE), meta_gc(SETI), meta_gc(SETFIELD),
    meta_gc(MMBIN), meta_gc(MMBINI), meta_gc(MMBINK), meta_gc(UNM), meta_gc(BNOT), meta_gc(LEN),
    meta_gc(EQ), meta_gc(LT), meta_gc(LTI), meta_gc(GTI), meta_gc(LE), meta_gc(LEI), meta_gc(GEI),
    meta_gc(RETURN, When::k),
    // OP_CONCAT's metamethods are called at ra + 2 or above, OP_CLOSE's handlers at a variable's
    // slot + 2.
    Row{CONCAT, kFin, Slot::a5, Slot::unbounded},
    Row{CLOSE, kFin, Slot::tbc5, Slot::unbounded},
};

constexpr std::array<std::string_view, 25> kEventNames = {  // ltm.c luaT_init, without the "__"
    "index", "newindex", "gc", "mode", "len", "eq", "add", "sub", "mul", "mod", "pow", "div",
    "idiv", "band", "bor", "bxor", "shl", "shr", "unm", "bnot", "lt", "le", "concat", "call",
    "close",
};
// clang-format on

// rows_by_opcode: the rows of each opcode.
const std::array<std::vector<Row>, kNumOpcodes>& rows_by_opcode() {
  static const auto index = [] {
    std::array<std::vector<Row>, kNumOpcodes> rows;
    for (const Row& row : kRows) rows[static_cast<std::size_t>(row.op)].push_back(row);
    return rows;
  }();
  return index;
}

int slot(Slot s, Instruction i, int frame) {
  switch (s) {
    case Slot::a: return i.a();
    case Slot::a1: return i.a() + 1;
    case Slot::a2: return i.a() + 2;
    case Slot::a4: return i.a() + 4;
    case Slot::a5: return i.a() + 5;
    case Slot::a7: return i.a() + 7;
    case Slot::ab: return i.a() + i.b();
    case Slot::args_end: return i.b() != 0 ? i.a() + i.b() : i.a() + 1;
    case Slot::frame: return frame;
    case Slot::frame3: return frame + 3;
    case Slot::tbc2:  // from the prototype: see suspended_pc
    case Slot::tbc5:
    case Slot::unbounded: return INT_MAX;
  }
  return INT_MAX;
}

bool applies(const Row& row, Instruction i, CallOut how) {
  if (row.when == When::k && !i.k()) return false;
  if (row.when == When::c_zero && i.c() != 0) return false;
  if (how.via == Via::unknown) return true;
  if (how.via != row.via) return false;
  if (row.via != Via::metamethod) return true;
  return row.event_in_c ? i.c() == static_cast<int>(how.event) : row.event == how.event;
}

}  // namespace

CallOut call_out(lua_State* L, int level) {
  lua_Debug callee;
  if (level < 1 || lua_getstack(L, level - 1, &callee) == 0) return {};
  if (lua_getinfo(L, "nt", &callee) == 0 || callee.istailcall != 0) return {};
  const std::string_view what = callee.namewhat != nullptr ? callee.namewhat : "";
  const std::string_view name = callee.name != nullptr ? callee.name : "";
  if (what == "metamethod") {  // ldebug.c funcnamefromcall: CIST_FIN, else funcnamefromcode
    if (name == "__gc") return {Via::finalizer};
    const auto* e = std::find(kEventNames.begin(), kEventNames.end(), name);
    if (e == kEventNames.end()) return {};
    return {Via::metamethod, static_cast<Event>(e - kEventNames.begin())};
  }
  if (what == "for iterator") return {Via::for_iterator};
  if (what == "hook") return {};
  // getobjname's "global", "local", "method", "field", "upvalue", "constant", or nothing: only
  // OP_CALL and OP_TAILCALL are named so (every other instruction that calls out is named above,
  // and every finalizer is "__gc").
  return {Via::call};
}

std::optional<int> suspended_pc(const Proto& p, int line, int nslots) {
  return suspended_pc(p, line, nslots, CallOut{});
}

std::optional<int> suspended_pc(const Proto& p, int line, int nslots, CallOut how) {
  if (nslots < 0 || p.lines.size() != p.code.size()) return std::nullopt;
  const auto& rows = rows_by_opcode();
  const int size = static_cast<int>(p.code.size());
  std::vector<int> tbc;  // the slots of to-be-closed variables (Slot::tbc2)
  for (Instruction i : p.code) {
    if (i.op() == TBC) tbc.push_back(i.a());
    if (i.op() == TFORPREP) tbc.push_back(i.a() + 3);
  }
  std::optional<int> found;
  for (int pc = 0; pc < size; ++pc) {
    const Instruction i = p.code[static_cast<std::size_t>(pc)];
    const auto op = static_cast<std::size_t>(i.op());
    if (op >= rows.size()) return std::nullopt;  // not an opcode of 5.4: nothing can be said
    for (const Row& row : rows[op]) {
      const int at = pc + row.pc_shift;
      if (at >= size || p.lines[static_cast<std::size_t>(at)] != line) continue;
      if (!applies(row, i, how)) continue;
      // luaG_findlocal: the named locals live at currentpc count too.
      const int live = p.active_locals(at);
      const auto visible = [live](int top) { return std::max(live, top); };
      bool match = false;
      if (row.lo == Slot::tbc2) {
        match = std::any_of(tbc.begin(), tbc.end(),
                            [&](int s) { return s >= i.a() && visible(s + 2) == nslots; });
      } else if (row.lo == Slot::tbc5) {
        int lowest = INT_MAX;
        for (int s : tbc) lowest = s >= i.a() ? std::min(lowest, s) : lowest;
        match = lowest != INT_MAX && visible(lowest + 5) <= nslots;
      } else {
        match = visible(slot(row.lo, i, p.maxstacksize)) <= nslots &&
                nslots <= visible(slot(row.hi, i, p.maxstacksize));
      }
      if (!match) continue;
      if (found.has_value() && *found != at) return std::nullopt;
      found = at;
    }
  }
  return found;
}

}  // namespace vmmsim::lua
