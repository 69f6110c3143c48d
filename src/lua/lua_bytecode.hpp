// lua_bytecode.hpp: a reader of the binary chunks lua_dump writes (Lua 5.4.4, ldump.c/lundump.c).
//
// The explorer's state matching identifies a suspended Lua frame by its function, its line and its
// stack slots, but the public debug API gives a frame's line, not its program counter. What a
// function compiles to (its instructions, the line of each, when its named locals are live) is
// learnt here from the function's own dump, through the public API alone: Lua's internal headers
// (lobject.h, lstate.h) are not installed. lua_suspension.hpp asks the question this is for.
//
// The format is that of Lua 5.4 only (5.3 and 5.5 lay out chunks and number opcodes differently);
// anything else, and anything malformed or stripped of its line information, parses as nullopt.
#pragma once

#include <lua.hpp>

#include <cstdint>
#include <optional>
#include <span>
#include <string_view>
#include <vector>

namespace vmmsim::lua {

// OpCode: lopcodes.h's enum OpCode, in its order ("ORDER OP").
enum class OpCode : std::uint8_t {
  MOVE, LOADI, LOADF, LOADK, LOADKX, LOADFALSE, LFALSESKIP, LOADTRUE, LOADNIL, GETUPVAL, SETUPVAL,
  GETTABUP, GETTABLE, GETI, GETFIELD, SETTABUP, SETTABLE, SETI, SETFIELD, NEWTABLE, SELF,
  ADDI, ADDK, SUBK, MULK, MODK, POWK, DIVK, IDIVK, BANDK, BORK, BXORK, SHRI, SHLI,
  ADD, SUB, MUL, MOD, POW, DIV, IDIV, BAND, BOR, BXOR, SHL, SHR, MMBIN, MMBINI, MMBINK,
  UNM, BNOT, NOT, LEN, CONCAT, CLOSE, TBC, JMP, EQ, LT, LE, EQK, EQI, LTI, LEI, GTI, GEI,
  TEST, TESTSET, CALL, TAILCALL, RETURN, RETURN0, RETURN1, FORLOOP, FORPREP,
  TFORPREP, TFORCALL, TFORLOOP, SETLIST, CLOSURE, VARARG, VARARGPREP, EXTRAARG,
};
inline constexpr int kNumOpcodes = static_cast<int>(OpCode::EXTRAARG) + 1;  // NUM_OPCODES

// opcode_name: lopnames.h's spelling, the one `luac -l` lists.
std::string_view opcode_name(OpCode op);

// Instruction: one 32-bit instruction (lopcodes.h: the opcode in the low 7 bits, then A(8), k(1),
// B(8), C(8); Bx is k, B and C taken together).
struct Instruction {
  std::uint32_t raw = 0;

  OpCode op() const { return static_cast<OpCode>(raw & 0x7Fu); }
  int a() const { return static_cast<int>((raw >> 7) & 0xFFu); }
  bool k() const { return ((raw >> 15) & 1u) != 0; }
  int b() const { return static_cast<int>((raw >> 16) & 0xFFu); }
  int c() const { return static_cast<int>((raw >> 24) & 0xFFu); }
  int bx() const { return static_cast<int>(raw >> 15); }
};

// LocVar: where a named local is live: instructions startpc <= pc < endpc (lobject.h LocVar; the
// name is not kept).
struct LocVar {
  int startpc = 0;
  int endpc = 0;
};

// Proto: one function prototype (lobject.h Proto), the parts state matching needs.
struct Proto {
  int linedefined = 0;
  int lastlinedefined = 0;
  int numparams = 0;
  bool is_vararg = false;
  int nupvalues = 0;
  int maxstacksize = 0;  // the frame's size: ci->top is base + maxstacksize (ldo.c luaD_precall)
  std::vector<Instruction> code;
  std::vector<int> lines;  // lines[pc]: the line of code[pc], as ldebug.c luaG_getfuncline gives it
  std::vector<LocVar> locvars;
  std::vector<Proto> protos;  // nested functions, in the order of OP_CLOSURE's Bx
  // digest: FNV-1a (64 bits) of the bytes this prototype was read from: for the prototype a chunk
  // was parsed for, the whole dump (a dump of the same function, nested ones included, is byte for
  // byte the same, so closures of one prototype share it); for a nested one, its own record in it.
  std::uint64_t digest = 0;

  // active_locals: how many named locals are live at pc (the count luaF_getlocalname walks).
  int active_locals(int pc) const;
};

// parse_chunk: the function of a chunk lua_dump wrote unstripped on this machine; nullopt for any
// other version or format, a stripped dump, or bytes that are truncated, trailed or inconsistent.
std::optional<Proto> parse_chunk(std::span<const unsigned char> dump);

// parse_function: lua_dump (not stripped) of the Lua function at idx, parsed; nullopt for a C
// function, a value that is not a function, or a dump that does not parse. It pushes one value
// (after lua_checkstack), leaves the stack as it was, and raises no Lua error.
std::optional<Proto> parse_function(lua_State* L, int idx);

}  // namespace vmmsim::lua
