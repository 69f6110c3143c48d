// bytecode_test.cpp: lua_bytecode.hpp (the reader of lua_dump's chunks), against Lua itself.
//
// The parse is compared with luac5.4's listing of the same source (when luac5.4 is installed) and
// with expectations taken once from it; malformed chunks must parse as nullopt without reading out
// of bounds (the ASan build checks that).
#include <gtest/gtest.h>

#include <lua.hpp>

#include <cstdint>
#include <cstdio>
#include <fstream>
#include <optional>
#include <random>
#include <regex>
#include <string>
#include <vector>

#include "lua_bytecode.hpp"

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

int count_of(const Proto& p, OpCode op) {
  int n = 0;
  for (Instruction i : p.code) n += i.op() == op ? 1 : 0;
  return n;
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
  EXPECT_EQ(f.code[1].c(), 6);  // MMBINI 0 1 6: __add (ltm.h TM_ADD)
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

}  // namespace

}  // namespace vmmsim::lua::test
