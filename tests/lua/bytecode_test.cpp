// bytecode_test.cpp: lua_bytecode.hpp (the reader of lua_dump's chunks) and lua_suspension.hpp
// (suspended_pc), against Lua itself.
//
// The parse is compared with luac5.4's listing of the same source (when luac5.4 is installed) and
// with expectations taken once from it. suspended_pc is checked on real suspensions: a C function
// `probe` reads the frame at a given level the way the explorer will (lua_getinfo "Slf",
// lua_getlocal for the slots, call_out) and records what suspended_pc answers; the expected
// instruction is found independently, as the only instruction of the expected opcode on the
// frame's line.
#include <gtest/gtest.h>

#include <lua.hpp>

#include <cstdint>
#include <cstdio>
#include <fstream>
#include <optional>
#include <random>
#include <regex>
#include <set>
#include <string>
#include <vector>

#include "lua_bytecode.hpp"
#include "lua_suspension.hpp"

namespace vmmsim::lua::test {

namespace {

using enum OpCode;

// --- helpers -------------------------------------------------------------------------------------

class State {
 public:
  State() : L_(luaL_newstate()) { luaL_openlibs(L_); }
  ~State() { lua_close(L_); }
  State(const State&) = delete;
  State& operator=(const State&) = delete;
  lua_State* get() const { return L_; }

 private:
  lua_State* L_;
};

int collect(lua_State*, const void* p, size_t size, void* ud) {
  auto* out = static_cast<std::vector<unsigned char>*>(ud);
  const auto* bytes = static_cast<const unsigned char*>(p);
  out->insert(out->end(), bytes, bytes + size);
  return 0;
}

// dump: the chunk of `source`, compiled and dumped (stripped or not).
std::vector<unsigned char> dump(const std::string& source, bool strip = false) {
  State s;
  EXPECT_EQ(luaL_loadbuffer(s.get(), source.data(), source.size(), "=test"), LUA_OK);
  std::vector<unsigned char> bytes;
  lua_dump(s.get(), collect, &bytes, strip ? 1 : 0);
  return bytes;
}

std::optional<Proto> parse(const std::string& source) { return parse_chunk(dump(source)); }

// preorder: every prototype, parents before their nested functions (luac's listing order).
void preorder(const Proto& p, std::vector<const Proto*>& out) {
  out.push_back(&p);
  for (const Proto& nested : p.protos) preorder(nested, out);
}

// only: the pc of the only `op` on `line`, or -1.
int only(const Proto& p, OpCode op, int line) {
  int found = -1;
  for (std::size_t pc = 0; pc < p.code.size(); ++pc) {
    if (p.code[pc].op() != op || p.lines[pc] != line) continue;
    if (found != -1) return -1;
    found = static_cast<int>(pc);
  }
  return found;
}

int count_of(const Proto& p, OpCode op) {
  int n = 0;
  for (Instruction i : p.code) n += i.op() == op ? 1 : 0;
  return n;
}

// --- the probe -----------------------------------------------------------------------------------

struct Observation {
  std::string tag;
  int line = 0;
  int nslots = 0;
  CallOut how;
  std::optional<Proto> proto;  // the frame's function
  std::optional<int> any;      // suspended_pc(p, line, nslots)
  std::optional<int> known;    // suspended_pc(p, line, nslots, how)
};

struct Recorder {
  std::vector<Observation> seen;
};

// probe([level [, tag]]): records how the frame at `level` (1: probe's caller) is suspended.
int probe(lua_State* L) {
  auto* recorder = static_cast<Recorder*>(lua_touserdata(L, lua_upvalueindex(1)));
  const int level = static_cast<int>(luaL_optinteger(L, 1, 1));
  const char* tag = luaL_optstring(L, 2, "");
  lua_Debug ar;
  if (lua_getstack(L, level, &ar) == 0) return luaL_error(L, "no frame at level %d", level);
  lua_getinfo(L, "Slf", &ar);  // pushes the function
  int nslots = 0;
  while (lua_getlocal(L, &ar, nslots + 1) != nullptr) {
    lua_pop(L, 1);
    ++nslots;
  }
  Observation o;
  o.tag = tag;
  o.line = ar.currentline;
  o.nslots = nslots;
  o.how = call_out(L, level);
  o.proto = parse_function(L, -1);
  lua_pop(L, 1);
  if (o.proto.has_value()) {
    o.any = suspended_pc(*o.proto, o.line, nslots);
    o.known = suspended_pc(*o.proto, o.line, nslots, o.how);
  }
  recorder->seen.push_back(std::move(o));
  return 0;
}

class BytecodeSuspension : public ::testing::Test {
 protected:
  BytecodeSuspension() {
    lua_pushlightuserdata(state_.get(), &recorder_);
    lua_pushcclosure(state_.get(), probe, 1);
    lua_setglobal(state_.get(), "probe");
  }

  void run(const std::string& source) {
    lua_State* L = state_.get();
    ASSERT_EQ(luaL_loadbuffer(L, source.data(), source.size(), "=scenario"), LUA_OK)
        << lua_tostring(L, -1);
    ASSERT_EQ(lua_pcall(L, 0, 0, 0), LUA_OK) << lua_tostring(L, -1);
  }

  const Observation& on_line(int line) {
    for (const Observation& o : recorder_.seen) {
      if (o.line == line) return o;
    }
    ADD_FAILURE() << "no suspension on line " << line;
    static const Observation none;
    return none;
  }

  const std::vector<Observation>& seen() const { return recorder_.seen; }

  Recorder recorder_;  // outlives state_: lua_close runs the pending finalizers, which probe
  State state_;
};

// expect_unique: both answers name the only `op` on the observation's line (wrapped in
// ASSERT_NO_FATAL_FAILURE: callers go on to use the proto and the answer).
void expect_unique(const Observation& o, OpCode op) {
  ASSERT_TRUE(o.proto.has_value()) << o.tag;
  const int pc = only(*o.proto, op, o.line);
  ASSERT_NE(pc, -1) << "not one " << opcode_name(op) << " on line " << o.line;
  ASSERT_EQ(o.any, pc) << o.tag << " line " << o.line << " nslots " << o.nslots;
  EXPECT_EQ(o.known, pc) << o.tag << " line " << o.line << " nslots " << o.nslots;
}

// --- the parse -----------------------------------------------------------------------------------

TEST(BytecodeParse, SmallChunkAsLuacListsIt) {
  // luac5.4 -l of this source: main: VARARGPREP [1], CLOSURE [3], GETTABUP MOVE LOADI CALL CALL
  // RETURN [4]; f: ADDI MMBINI RETURN1 [2], RETURN0 [3].
  std::optional<Proto> main = parse("local function f(a)\n  return a + 1\nend\nprint(f(2))\n");
  ASSERT_TRUE(main.has_value());
  const std::vector<OpCode> main_ops = {VARARGPREP, CLOSURE, GETTABUP, MOVE,
                                        LOADI,      CALL,    CALL,     RETURN};
  const std::vector<int> main_lines = {1, 3, 4, 4, 4, 4, 4, 4};
  ASSERT_EQ(main->code.size(), main_ops.size());
  for (std::size_t pc = 0; pc < main_ops.size(); ++pc) {
    EXPECT_EQ(main->code[pc].op(), main_ops[pc]) << pc;
    EXPECT_EQ(main->lines[pc], main_lines[pc]) << pc;
  }
  EXPECT_EQ(main->maxstacksize, 4);
  EXPECT_TRUE(main->is_vararg);
  EXPECT_EQ(main->code[5].a(), 2);  // CALL 2 2 0
  EXPECT_EQ(main->code[5].b(), 2);
  EXPECT_EQ(main->code[5].c(), 0);
  ASSERT_EQ(main->protos.size(), 1u);
  const Proto& f = main->protos[0];
  EXPECT_EQ(f.linedefined, 1);
  EXPECT_EQ(f.lastlinedefined, 3);
  EXPECT_EQ(f.numparams, 1);
  EXPECT_FALSE(f.is_vararg);
  EXPECT_EQ(f.maxstacksize, 2);
  const std::vector<OpCode> f_ops = {ADDI, MMBINI, RETURN1, RETURN0};
  const std::vector<int> f_lines = {2, 2, 2, 3};
  ASSERT_EQ(f.code.size(), f_ops.size());
  for (std::size_t pc = 0; pc < f_ops.size(); ++pc) {
    EXPECT_EQ(f.code[pc].op(), f_ops[pc]) << pc;
    EXPECT_EQ(f.lines[pc], f_lines[pc]) << pc;
  }
  EXPECT_EQ(f.code[1].c(), static_cast<int>(Event::add));  // MMBINI 0 1 6: __add
  EXPECT_EQ(f.active_locals(0), 1);                        // a
}

// A source exercising most opcodes, nested functions, and absolute line information (long
// functions, and gaps of more than 127 lines).
std::string rich_source() {
  std::string s =
      "local t = {1, 2, x = 3, [4] = 'four'}\n"
      "local function f(a, ...)\n"
      "  local s = a .. 'x' .. tostring(a)\n"
      "  local n <const> = 10\n"
      "  for i = 1, n do s = s .. i end\n"
      "  for k, v in pairs(t) do s = s .. k end\n"
      "  local g = function(...)\n"
      "    return select('#', ...) + #t - -a, ~a, a // 2, a % 3, a ^ 2, a / 1.5\n"
      "  end\n"
      "  if a < 1 or a <= 2.5 or a > 3 or a >= 4 or a == 5 or a ~= 'x' or t == s then\n"
      "    return s, ...\n"
      "  end\n"
      "  if a < s or a <= 2 then return end\n"
      "  do local c <close> = nil end\n"
      "  return g(...)\n"
      "end\n"
      "t.y, t[1], t[t] = f, 1 << 2, 1 & 3 | 4 ~ 5 >> 1\n"
      "local obj = {}\n"
      "function obj:method(x) return self, x end\n"
      "local u = obj:method(1)\n";
  s += "local function long()\n  local x = 0\n";
  for (int i = 0; i < 300; ++i) s += "  x = x + " + std::to_string(i) + "\n";
  s += std::string(200, '\n');  // a gap the relative line information cannot span
  s += "  return x\nend\nreturn long() + f(1, 2, 3)\n";
  return s;
}

struct Listed {
  std::string op;
  int line;
};

// luac_listing: `luac5.4 -l -l -p file`, function by function (luac's PrintFunction order).
std::vector<std::vector<Listed>> luac_listing(const std::string& luac, const std::string& source) {
  const std::string path = ::testing::TempDir() + "bytecode_test_source.lua";
  std::ofstream(path) << source;
  std::vector<std::vector<Listed>> functions;
  FILE* pipe = popen((luac + " -l -l -p " + path).c_str(), "r");
  if (pipe == nullptr) return functions;
  const std::regex header(R"(^(main|function) <)");
  const std::regex instruction(R"(^\t(\d+)\t\[(\d+|-)\]\t(\S+))");
  char buffer[4096];
  while (std::fgets(buffer, sizeof buffer, pipe) != nullptr) {
    const std::string text = buffer;
    std::smatch m;
    if (std::regex_search(text, m, header)) {
      functions.emplace_back();
    } else if (std::regex_search(text, m, instruction) && !functions.empty()) {
      functions.back().push_back({m[3].str(), m[2].str() == "-" ? -1 : std::stoi(m[2].str())});
    }
  }
  pclose(pipe);
  return functions;
}

TEST(BytecodeParse, MatchesLuacListing) {
  const std::string luac = VMMSIM_LUAC_PATH;
  if (luac.empty()) GTEST_SKIP() << "luac5.4 is not installed";
  const std::string source = rich_source();
  const std::vector<std::vector<Listed>> listed = luac_listing(luac, source);
  std::optional<Proto> main = parse(source);
  ASSERT_TRUE(main.has_value());
  std::vector<const Proto*> protos;
  preorder(*main, protos);
  ASSERT_EQ(protos.size(), listed.size());
  int total = 0;
  for (std::size_t f = 0; f < protos.size(); ++f) {
    const Proto& p = *protos[f];
    ASSERT_EQ(p.code.size(), listed[f].size()) << "function " << f;
    for (std::size_t pc = 0; pc < p.code.size(); ++pc) {
      EXPECT_EQ(opcode_name(p.code[pc].op()), listed[f][pc].op) << "function " << f << " pc " << pc;
      EXPECT_EQ(p.lines[pc], listed[f][pc].line) << "function " << f << " pc " << pc;
      ++total;
    }
  }
  EXPECT_GT(total, 350);
  // Every opcode that state matching cares about appears in the source.
  for (OpCode op : {CONCAT, TFORCALL, TFORPREP, CLOSE, TBC, MMBIN, MMBINI, MMBINK, SELF, SETFIELD,
                    SETI, SETTABLE, GETTABUP, NEWTABLE, CLOSURE, VARARG, TAILCALL, EQ, LT, LE, LTI,
                    LEI, GTI, GEI}) {
    int n = 0;
    for (const Proto* p : protos) n += count_of(*p, op);
    EXPECT_GT(n, 0) << opcode_name(op);
  }
}

TEST(BytecodeParse, LongFunctionsUseAbsoluteLines) {
  std::optional<Proto> main = parse(rich_source());
  ASSERT_TRUE(main.has_value());
  const Proto& long_fn = main->protos.back();
  ASSERT_GT(long_fn.code.size(), 600u);
  const std::size_t size = long_fn.code.size();
  EXPECT_EQ(long_fn.lines[size - 1], long_fn.lastlinedefined);        // RETURN0: end
  EXPECT_EQ(long_fn.lines[size - 2], long_fn.lastlinedefined - 1);    // RETURN1: return x
  EXPECT_EQ(long_fn.lines[size - 3], long_fn.lastlinedefined - 202);  // x = x + 299, before the gap
}

TEST(BytecodeParse, DigestIsThePrototypes) {
  State s;
  lua_State* L = s.get();
  ASSERT_EQ(luaL_dostring(L,
                          "local function mk() return function(x) return x + 1 end end\n"
                          "return mk(), mk(), function(x) return x + 1 end, print"),
            LUA_OK);
  std::optional<Proto> a = parse_function(L, -4);
  std::optional<Proto> b = parse_function(L, -3);
  std::optional<Proto> c = parse_function(L, -2);
  ASSERT_TRUE(a && b && c);
  EXPECT_EQ(a->digest, b->digest);  // two closures of one prototype
  EXPECT_NE(a->digest, c->digest);  // the same text elsewhere (another line)
  EXPECT_FALSE(parse_function(L, -1).has_value());  // a C function
  lua_pushinteger(L, 1);
  EXPECT_FALSE(parse_function(L, -1).has_value());  // not a function
  EXPECT_EQ(lua_gettop(L), 5);                      // the stack is left as it was
}

// --- malformed input -----------------------------------------------------------------------------

TEST(BytecodeMalformed, EveryTruncationIsRefused) {
  const std::vector<unsigned char> whole = dump(rich_source());
  ASSERT_TRUE(parse_chunk(whole).has_value());
  for (std::size_t n = 0; n < whole.size(); ++n) {
    const std::vector<unsigned char> cut(whole.begin(),
                                         whole.begin() + static_cast<std::ptrdiff_t>(n));
    EXPECT_FALSE(parse_chunk(cut).has_value()) << n;  // ASan catches any read past `cut`
  }
}

TEST(BytecodeMalformed, HeaderFieldsAreChecked) {
  const std::vector<unsigned char> whole = dump("return 1");
  // 0-3 signature, 4 version, 5 format, 6-11 LUAC_DATA, 12-14 sizes, 15-22 LUAC_INT,
  // 23-30 LUAC_NUM.
  for (std::size_t at : {0u, 3u, 4u, 5u, 6u, 11u, 12u, 13u, 14u, 15u, 22u, 30u}) {
    std::vector<unsigned char> bad = whole;
    bad[at] ^= 0x01;
    EXPECT_FALSE(parse_chunk(bad).has_value()) << at;
  }
  std::vector<unsigned char> lua53 = whole;
  lua53[4] = 0x53;
  EXPECT_FALSE(parse_chunk(lua53).has_value());
  std::vector<unsigned char> lua55 = whole;
  lua55[4] = 0x55;
  EXPECT_FALSE(parse_chunk(lua55).has_value());
  std::vector<unsigned char> trailing = whole;
  trailing.push_back(0);
  EXPECT_FALSE(parse_chunk(trailing).has_value());
}

TEST(BytecodeMalformed, StrippedDumpsAreRefused) {
  EXPECT_TRUE(parse_chunk(dump(rich_source(), false)).has_value());
  EXPECT_FALSE(parse_chunk(dump(rich_source(), true)).has_value());
  EXPECT_FALSE(parse_chunk(dump("return 1", true)).has_value());
}

TEST(BytecodeMalformed, CorruptedBytesNeverReadOutOfBounds) {
  const std::vector<unsigned char> whole = dump(rich_source());
  std::mt19937 random(1234);
  for (std::size_t at = 0; at < whole.size(); ++at) {  // every byte, one corruption each
    std::vector<unsigned char> bad = whole;
    bad[at] = static_cast<unsigned char>(random());
    static_cast<void>(parse_chunk(bad));
  }
  for (int round = 0; round < 2000; ++round) {  // and random bytes after a valid header
    std::vector<unsigned char> bad(whole.begin(), whole.begin() + 32);
    const std::size_t n = random() % 64;
    for (std::size_t i = 0; i < n; ++i) bad.push_back(static_cast<unsigned char>(random()));
    static_cast<void>(parse_chunk(bad));
  }
  // After the header: no source, lines 0 and 0, 0 parameters, not vararg, 128 slots, and 2^30 - 1
  // instructions that are not there (refused before anything is allocated for them).
  std::vector<unsigned char> huge(whole.begin(), whole.begin() + 32);
  for (unsigned char b : {0x80, 0x80, 0x80, 0x00, 0x00, 0x80, 0x03, 0x7f, 0x7f, 0x7f, 0xff}) {
    huge.push_back(b);
  }
  EXPECT_FALSE(parse_chunk(huge).has_value());
}

// --- the table -----------------------------------------------------------------------------------

// Which opcodes have rows at all: lua_suspension.cpp's list of those that never call out.
TEST(BytecodeTable, OnlyInstructionsThatCallOutAreCandidates) {
  const std::set<OpCode> calling = {
      CALL, TAILCALL, TFORCALL, GETTABUP, GETTABLE, GETI, GETFIELD, SELF, SETTABUP, SETTABLE, SETI,
      SETFIELD, MMBIN, MMBINI, MMBINK, UNM, BNOT, LEN, EQ, LT, LE, LTI, LEI, GTI, GEI, CONCAT,
      CLOSE, RETURN, NEWTABLE, CLOSURE, VARARG,
  };
  for (int n = 0; n < kNumOpcodes; ++n) {
    const auto op = static_cast<OpCode>(n);
    bool candidate = false;
    for (std::uint32_t k : {0u, 1u}) {
      for (std::uint32_t c : {0u, 3u}) {
        Proto p;
        p.maxstacksize = 20;
        const std::uint32_t a = 1, b = 2;
        const auto raw = static_cast<std::uint32_t>(n) | a << 7 | k << 15 | b << 16 | c << 24;
        // A to-be-closed R[1] for OP_CLOSE, and the OP_EXTRAARG of OP_NEWTABLE.
        const auto tbc = static_cast<std::uint32_t>(TBC) | a << 7;
        const auto extraarg = static_cast<std::uint32_t>(EXTRAARG);
        p.code = {Instruction{tbc}, Instruction{raw}, Instruction{extraarg}};
        p.lines = {1, 1, 1};
        for (int nslots = 0; nslots < 300 && !candidate; ++nslots) {
          candidate = suspended_pc(p, 1, nslots).has_value();
        }
      }
    }
    EXPECT_EQ(candidate, calling.contains(op)) << opcode_name(op);
  }
}

// --- real suspensions ----------------------------------------------------------------------------

TEST_F(BytecodeSuspension, CallAsAStatement) {
  run("probe(1, 'top')\n"
      "local function f(x)\n"
      "  local y = x + 1\n"
      "  probe(1, 'in f')\n"
      "end\n"
      "f(1)\n");
  ASSERT_EQ(seen().size(), 2u);
  ASSERT_NO_FATAL_FAILURE(expect_unique(seen()[0], CALL));
  EXPECT_EQ(seen()[0].how.via, Via::call);
  EXPECT_EQ(seen()[0].nslots, 0);  // probe sits in R[0] (the CALL's A)
  ASSERT_NO_FATAL_FAILURE(expect_unique(seen()[1], CALL));
  EXPECT_EQ(seen()[1].nslots, 2);  // x, y, and probe in R[2]
}

TEST_F(BytecodeSuspension, CallAsAnArgument) {
  run("local function f(...) end\n"
      "f(probe())\n");
  const Observation& o = on_line(2);
  ASSERT_TRUE(o.proto.has_value());
  EXPECT_EQ(o.how.via, Via::call);
  // probe is the first CALL of the line (A = 2: f in R[0], its copy in R[1]). Knowing nothing of
  // how the frame called out, f's CALL (B == 0) could be running a finalizer while it grows the
  // stack for f with L->top at R[2]: only the call-out's kind tells them apart.
  int first_call = -1;
  for (std::size_t pc = 0; pc < o.proto->code.size(); ++pc) {
    if (o.proto->code[pc].op() == CALL && o.proto->lines[pc] == 2) {
      first_call = static_cast<int>(pc);
      break;
    }
  }
  ASSERT_NE(first_call, -1);
  EXPECT_EQ(o.proto->code[static_cast<std::size_t>(first_call)].a(), o.nslots);
  EXPECT_EQ(o.any, std::nullopt);
  EXPECT_EQ(o.known, first_call);
}

TEST_F(BytecodeSuspension, IndexMetamethod) {
  run("local t = setmetatable({}, {__index = function(_, k) probe(2) return 1 end})\n"
      "local v = t.x\n");
  const Observation& o = on_line(2);
  ASSERT_NO_FATAL_FAILURE(expect_unique(o, GETFIELD));
  EXPECT_EQ(o.how.via, Via::metamethod);
  EXPECT_EQ(o.how.event, Event::index);
  EXPECT_EQ(o.nslots, o.proto->maxstacksize);  // Protect: L->top = ci->top
}

TEST_F(BytecodeSuspension, GenericForIterator) {
  run("local a, b = 1, 2\n"
      "for x in probe do end\n"
      "local last = true\n");  // the chunk's OP_RETURN closes (k): keep it off line 2
  const Observation& o = on_line(2);
  ASSERT_NO_FATAL_FAILURE(expect_unique(o, TFORCALL));
  EXPECT_EQ(o.how.via, Via::for_iterator);
  const int pc = only(*o.proto, TFORCALL, 2);
  EXPECT_EQ(o.nslots, o.proto->code[static_cast<std::size_t>(pc)].a() + 4);
}

TEST_F(BytecodeSuspension, ConcatMetamethodAtEachPass) {
  run("local mt = {__concat = function(a, b) probe(2, 'concat') return 's' end}\n"
      "local obj = setmetatable({}, mt)\n"
      "local s = 'a' .. obj .. 'b'\n"   // first pass: obj .. 'b' at the top, R[A+3]
      "local u = obj .. 'c' .. 'd'\n");  // 'c' .. 'd' first, then obj .. 'cd' at R[A+2]
  const Observation& first = on_line(3);
  ASSERT_NO_FATAL_FAILURE(expect_unique(first, CONCAT));
  EXPECT_EQ(first.how.event, Event::concat);
  const Instruction c3 = first.proto->code[static_cast<std::size_t>(only(*first.proto, CONCAT, 3))];
  EXPECT_EQ(c3.b(), 3);
  EXPECT_EQ(first.nslots, c3.a() + 3);
  const Observation& second = on_line(4);
  ASSERT_NO_FATAL_FAILURE(expect_unique(second, CONCAT));
  const int pc4 = only(*second.proto, CONCAT, 4);
  const Instruction c4 = second.proto->code[static_cast<std::size_t>(pc4)];
  EXPECT_EQ(second.nslots, c4.a() + 2);
}

TEST_F(BytecodeSuspension, CloseHandlers) {
  run("local mt = {__close = function() probe(2, 'close') end}\n"
      "local a, b, c = 1, 2, 3\n"
      "local t = {1, 2, 3, 4, 5, 6, 7, 8}\n"
      "do\n"
      "  local x <close> = setmetatable({}, mt)\n"
      "  local pad = 0\n"  // OP_CLOSE takes this line, away from the OP_NEWTABLE above
      "end\n"
      "local function f()\n"
      "  local y <close> = setmetatable({}, mt)\n"
      "  return 1\n"
      "end\n"
      "f()\n");
  ASSERT_EQ(seen().size(), 2u);
  // OP_CLOSE: lfunc.c prepcallclosemth(status LUA_OK) puts the handler at the variable's slot + 2,
  // not at ci->top.
  const Observation& block = seen()[0];
  ASSERT_TRUE(block.proto.has_value());
  EXPECT_EQ(block.how.event, Event::close);
  ASSERT_EQ(count_of(*block.proto, CLOSE), 1);
  ASSERT_NO_FATAL_FAILURE(expect_unique(block, CLOSE));
  int tbc_slot = -1;
  for (Instruction i : block.proto->code) {
    if (i.op() == TBC) tbc_slot = i.a();
  }
  EXPECT_EQ(block.nslots, tbc_slot + 2);
  EXPECT_LT(block.nslots, block.proto->maxstacksize);
  // OP_RETURN with k: the handler at ci->top.
  const Observation& ret = seen()[1];
  ASSERT_NO_FATAL_FAILURE(expect_unique(ret, RETURN));
  EXPECT_TRUE(ret.proto->code[static_cast<std::size_t>(*ret.any)].k());
  EXPECT_EQ(ret.nslots, ret.proto->maxstacksize);
}

TEST_F(BytecodeSuspension, TailCallOfACFunctionKeepsTheFrame) {
  run("local function f(x)\n"
      "  return probe(1, 'tail')\n"
      "end\n"
      "f(1)\n"
      "local function g(...)\n"
      "  local a = 1\n"
      "  return probe(1, 'vararg tail')\n"
      "end\n"
      "g(1, 2, 3)\n");
  const Observation& f = on_line(2);
  ASSERT_NO_FATAL_FAILURE(expect_unique(f, TAILCALL));
  EXPECT_EQ(f.how.via, Via::call);
  EXPECT_EQ(f.nslots, 1);
  const Observation& g = on_line(7);  // a vararg function's base moved up past its arguments
  ASSERT_NO_FATAL_FAILURE(expect_unique(g, TAILCALL));
  EXPECT_EQ(g.nslots, 1);
}

TEST_F(BytecodeSuspension, CallMetamethodTakesTheCallablesSlot) {
  run("local o = setmetatable({}, {__call = function(self, x) probe(2, 'call') end})\n"
      "local r = 1; o(r)\n");
  const Observation& o = on_line(2);
  ASSERT_NO_FATAL_FAILURE(expect_unique(o, CALL));
  EXPECT_EQ(o.nslots, 2);
}

TEST_F(BytecodeSuspension, EveryMetamethodInstruction) {
  struct Case {
    const char* code;
    OpCode op;
    Event event;
    // Knowing nothing of the call-out, o:m()'s OP_CALL could be running a finalizer for a chain of
    // __call metamethods long enough to reach ci->top, where OP_SELF's __index goes.
    bool unique_unknown = true;
  };
  const std::vector<Case> cases = {
      {"local r = o.x", GETFIELD, Event::index},     {"local r = o[1]", GETI, Event::index},
      {"local r = o[k]", GETTABLE, Event::index},    {"o:m()", SELF, Event::index, false},
      {"local r = undefined_global", GETTABUP, Event::index},
      {"o.x = 1", SETFIELD, Event::newindex},        {"o[1] = 1", SETI, Event::newindex},
      {"o[k] = 1", SETTABLE, Event::newindex},
      {"undefined_global = 1", SETTABUP, Event::newindex},
      {"local r = o + p", MMBIN, Event::add},        {"local r = o + 1", MMBINI, Event::add},
      {"local r = o * 1.5", MMBINK, Event::mul},     {"local r = 2 - o", MMBIN, Event::sub},
      {"local r = o // p", MMBIN, Event::idiv},      {"local r = o % 3", MMBINK, Event::mod},
      {"local r = o ^ 2", MMBINK, Event::pow},       {"local r = o / p", MMBIN, Event::div},
      {"local r = o & 1", MMBINK, Event::band},      {"local r = o | p", MMBIN, Event::bor},
      {"local r = o ~ p", MMBIN, Event::bxor},       {"local r = o >> 1", MMBINI, Event::shr},
      {"local r = o << p", MMBIN, Event::shl},       {"local r = -o", UNM, Event::unm},
      {"local r = ~o", BNOT, Event::bnot},           {"local r = #o", LEN, Event::len},
      {"local r = o == p", EQ, Event::eq},           {"local r = o < p", LT, Event::lt},
      {"local r = o <= p", LE, Event::le},           {"local r = o < 1", LTI, Event::lt},
      {"local r = o > 1", GTI, Event::lt},           {"local r = o <= 1", LEI, Event::le},
      {"local r = o >= 1", GEI, Event::le},          {"local r = o .. p", CONCAT, Event::concat},
      {"local r = 1 + o", MMBINI, Event::add},       {"local r = 1 < o", GTI, Event::lt},
  };
  std::string source =
      "local mt = {}\n"
      "for _, e in ipairs{'index', 'newindex', 'add', 'sub', 'mul', 'div', 'mod', 'pow', 'unm',\n"
      "  'idiv', 'band', 'bor', 'bxor', 'shl', 'shr', 'bnot', 'concat', 'len', 'eq', 'lt', 'le'}\n"
      "do\n"
      "  mt['__' .. e] = function() probe(2, e) return function() end end\n"
      "end\n"
      "local o, p, k = setmetatable({}, mt), setmetatable({}, mt), 'key'\n"
      "setmetatable(_ENV, {__index = mt.__index, __newindex = mt.__newindex})\n";
  const int first = 9;
  for (const Case& c : cases) source += std::string(c.code) + "\n";
  source += "local last = true\n";  // the chunk's OP_RETURN closes (k): keep it off the cases
  run(source);
  for (std::size_t n = 0; n < cases.size(); ++n) {
    const Observation& o = on_line(first + static_cast<int>(n));
    SCOPED_TRACE(cases[n].code);
    if (cases[n].unique_unknown) {
      ASSERT_NO_FATAL_FAILURE(expect_unique(o, cases[n].op));
    } else {
      ASSERT_TRUE(o.proto.has_value());
      EXPECT_EQ(o.any, std::nullopt);
      EXPECT_EQ(o.known, only(*o.proto, cases[n].op, o.line));
    }
    EXPECT_EQ(o.how.via, Via::metamethod);
    EXPECT_EQ(o.how.event, cases[n].event);
    if (cases[n].op != CONCAT) {
      EXPECT_EQ(o.nslots, o.proto->maxstacksize);
    }
  }
}

TEST_F(BytecodeSuspension, TwoCallsOnOneLineAreAmbiguous) {
  run("probe(1, 'a') probe(1, 'b')\n");
  ASSERT_EQ(seen().size(), 2u);
  for (const Observation& o : seen()) {
    EXPECT_EQ(o.nslots, 0);
    EXPECT_EQ(o.any, std::nullopt);
    EXPECT_EQ(o.known, std::nullopt);
  }
}

TEST_F(BytecodeSuspension, CallsOnTwoLinesAreDistinct) {
  run("local a = probe(1, 'a')\n"
      "local b = probe(1, 'b')\n");
  ASSERT_EQ(seen().size(), 2u);
  ASSERT_NO_FATAL_FAILURE(expect_unique(seen()[0], CALL));
  ASSERT_NO_FATAL_FAILURE(expect_unique(seen()[1], CALL));
  EXPECT_NE(seen()[0].any, seen()[1].any);
  EXPECT_EQ(seen()[0].nslots, 0);
  EXPECT_EQ(seen()[1].nslots, 1);
}

TEST_F(BytecodeSuspension, NestedCallsToldApartBySlots) {
  run("local function f(...) end\n"
      "local function g(...) end\n"
      "f(g(probe(1, 'fixed'), 1), 2)\n"  // every CALL has a fixed B: unique even knowing nothing
      "f(g(probe(1, 'open')))\n");      // B == 0 above probe: unique knowing it is a call
  const Observation& fixed = on_line(3);
  ASSERT_TRUE(fixed.proto.has_value());
  int first_call = -1;
  for (std::size_t pc = 0; pc < fixed.proto->code.size() && first_call == -1; ++pc) {
    if (fixed.proto->code[pc].op() == CALL && fixed.proto->lines[pc] == 3) {
      first_call = static_cast<int>(pc);
    }
  }
  EXPECT_EQ(fixed.any, first_call);
  EXPECT_EQ(fixed.known, first_call);
  const Observation& open = on_line(4);
  EXPECT_EQ(open.any, std::nullopt);
  ASSERT_TRUE(open.known.has_value());
  EXPECT_EQ(open.proto->code[static_cast<std::size_t>(*open.known)].op(), CALL);
  EXPECT_EQ(open.proto->code[static_cast<std::size_t>(*open.known)].a(), open.nslots);
}

// --- finalizers ----------------------------------------------------------------------------------

// A __gc that probes the frame running it, the first time only; `site` (on line kSite) allocates in
// a loop until it has run (the only instruction of the loop that steps the collector is the one
// under test).
constexpr int kSite = 7;
std::string finalizer_loop(const std::string& site) {
  return "local fired = false\n"
         "local gc = function() if not fired then fired = true probe(2, 'gc') end end\n"
         "setmetatable({}, {__gc = gc})\n"
         "local n = 0\n"
         "while not fired and n < 10000000 do\n"
         "  n = n + 1\n" +
         site + "\n" +  // kSite
         "end\n";
}

TEST_F(BytecodeSuspension, FinalizerAtNewTableIsAtItsExtraArg) {
  run(finalizer_loop("  local t = {}"));
  const Observation& o = on_line(kSite);
  ASSERT_TRUE(o.proto.has_value());
  EXPECT_EQ(o.how.via, Via::finalizer);
  const int newtable = only(*o.proto, NEWTABLE, kSite);
  ASSERT_NE(newtable, -1);
  // lvm.c OP_NEWTABLE skips its OP_EXTRAARG before checkGC saves the pc.
  EXPECT_EQ(o.any, newtable + 1);
  EXPECT_EQ(o.known, newtable + 1);
  EXPECT_EQ(o.nslots, o.proto->code[static_cast<std::size_t>(newtable)].a() + 1);
}

TEST_F(BytecodeSuspension, FinalizerAtClosure) {
  run(finalizer_loop("  local f = function() end"));
  const Observation& o = on_line(kSite);
  ASSERT_NO_FATAL_FAILURE(expect_unique(o, CLOSURE));
  EXPECT_EQ(o.how.via, Via::finalizer);
  EXPECT_EQ(o.nslots, o.proto->code[static_cast<std::size_t>(*o.any)].a() + 1);
}

TEST_F(BytecodeSuspension, FinalizerAtConcat) {
  run(finalizer_loop("  local s = 'x' .. n"));
  const Observation& o = on_line(kSite);
  ASSERT_NO_FATAL_FAILURE(expect_unique(o, CONCAT));
  EXPECT_EQ(o.how.via, Via::finalizer);
  EXPECT_EQ(o.nslots, o.proto->code[static_cast<std::size_t>(*o.any)].a() + 1);
}

// Calls from a fresh coroutine, whose stack is small, to `big`, a large frame: the stack grows
// before big's frame exists, and ldo.c luaD_precall (checkstackGCp) steps the collector first,
// with L->top where the call left it. The table filled before the call puts the collector in debt
// without stepping it, and the __gc re-arms itself, so finalizers run there again and again.
constexpr int kGrowing = 11;
std::string growing_call(const std::string& call) {
  std::string big = "local function big()\n  local ";
  for (int i = 0; i < 150; ++i) big += (i ? ", v" : "v") + std::to_string(i);
  return big + "\nend\n" +                                        // lines 1-3
         "local o = setmetatable({}, {__index = big})\n"          // an index metamethod
         "local gc = {}\n"
         "gc.__gc = function() probe(2, 'gc') setmetatable({}, gc) end\n"
         "setmetatable({}, gc)\n"
         "for round = 1, 300 do\n"
         "  coroutine.wrap(function()\n"
         "    local t = {} for i = 1, 4096 do t[i] = i end\n" +
         call + "\n" +  // kGrowing
         "  end)()\n"
         "end\n";
}

// expect_finalizers_at: some finalizers ran at the only `op` of line kGrowing, with nslots as
// `expected` says from the instruction and the frame's size, and each was placed there.
template <typename Expected>
void expect_finalizers_at(const std::vector<Observation>& seen, OpCode op, Expected expected) {
  int n = 0;
  for (const Observation& o : seen) {
    if (!o.proto.has_value() || o.line != kGrowing) continue;
    ++n;
    EXPECT_EQ(o.how.via, Via::finalizer);
    const int pc = only(*o.proto, op, kGrowing);
    ASSERT_NE(pc, -1);
    EXPECT_EQ(o.nslots, expected(o.proto->code[static_cast<std::size_t>(pc)], *o.proto));
    EXPECT_EQ(o.any, pc);
    EXPECT_EQ(o.known, pc);
  }
  EXPECT_GT(n, 0);
}

TEST_F(BytecodeSuspension, FinalizerWhileACallGrowsTheStack) {
  run(growing_call("    big()"));
  // Not R[A]: big's frame does not exist yet, L->top ends its arguments.
  expect_finalizers_at(seen(), CALL, [](Instruction i, const Proto&) { return i.a() + i.b(); });
}

TEST_F(BytecodeSuspension, FinalizerWhileAMetamethodCallGrowsTheStack) {
  run(growing_call("    local r = o.x"));
  // o is an upvalue (OP_GETTABUP); luaT_callTMres pushed __index, o and "x" at ci->top.
  expect_finalizers_at(seen(), GETTABUP,
                       [](Instruction, const Proto& p) { return p.maxstacksize + 3; });
}

TEST_F(BytecodeSuspension, FinalizerWhileAnIteratorCallGrowsTheStack) {
  run(growing_call("    for x in big do end"));
  // OP_TFORCALL set L->top = ra + 4 + 3; the loop's OP_CLOSE, on the same line, would call a
  // closing value's handler at R[A+3] + 2 and grow the stack for it from R[A+8] up.
  expect_finalizers_at(seen(), TFORCALL, [](Instruction i, const Proto&) { return i.a() + 7; });
}

}  // namespace

}  // namespace vmmsim::lua::test
