// lua_bytecode.cpp: the parser of lua_bytecode.hpp: lundump.c's reading of ldump.c's format (Lua
// 5.4.4), with every read bounded by the bytes at hand. A malformed chunk throws Malformed inside
// the parser, caught by parse_chunk; no exception crosses a Lua frame (parse_function parses after
// lua_dump has returned).
#include "lua_bytecode.hpp"

#include <array>
#include <climits>
#include <cstddef>
#include <cstring>
#include <exception>

namespace vmmsim::lua {

namespace {

constexpr std::array<std::string_view, kNumOpcodes> kOpcodeNames = {
    "MOVE",     "LOADI",    "LOADF",      "LOADK",    "LOADKX",   "LOADFALSE", "LFALSESKIP",
    "LOADTRUE", "LOADNIL",  "GETUPVAL",   "SETUPVAL", "GETTABUP", "GETTABLE",  "GETI",
    "GETFIELD", "SETTABUP", "SETTABLE",   "SETI",     "SETFIELD", "NEWTABLE",  "SELF",
    "ADDI",     "ADDK",     "SUBK",       "MULK",     "MODK",     "POWK",      "DIVK",
    "IDIVK",    "BANDK",    "BORK",       "BXORK",    "SHRI",     "SHLI",      "ADD",
    "SUB",      "MUL",      "MOD",        "POW",      "DIV",      "IDIV",      "BAND",
    "BOR",      "BXOR",     "SHL",        "SHR",      "MMBIN",    "MMBINI",    "MMBINK",
    "UNM",      "BNOT",     "NOT",        "LEN",      "CONCAT",   "CLOSE",     "TBC",
    "JMP",      "EQ",       "LT",         "LE",       "EQK",      "EQI",       "LTI",
    "LEI",      "GTI",      "GEI",        "TEST",     "TESTSET",  "CALL",      "TAILCALL",
    "RETURN",   "RETURN0",  "RETURN1",    "FORLOOP",  "FORPREP",  "TFORPREP",  "TFORCALL",
    "TFORLOOP", "SETLIST",  "CLOSURE",    "VARARG",   "VARARGPREP", "EXTRAARG",
};

// The header (ldump.c dumpHeader; lundump.h and lua.h give the values).
constexpr std::string_view kSignature = "\x1bLua";          // LUA_SIGNATURE
constexpr unsigned char kVersion = 0x54;                    // LUAC_VERSION: 5 * 16 + 4
constexpr unsigned char kFormat = 0;                        // LUAC_FORMAT
constexpr std::string_view kData = "\x19\x93\r\n\x1a\n";    // LUAC_DATA
constexpr lua_Integer kCheckInteger = 0x5678;               // LUAC_INT
constexpr lua_Number kCheckNumber = 370.5;                  // LUAC_NUM

// Constant tags (lobject.h: makevariant(type, variant) = type | variant << 4).
constexpr int kTagNil = 0;      // LUA_VNIL
constexpr int kTagFalse = 1;    // LUA_VFALSE
constexpr int kTagTrue = 17;    // LUA_VTRUE
constexpr int kTagInt = 3;      // LUA_VNUMINT
constexpr int kTagFloat = 19;   // LUA_VNUMFLT
constexpr int kTagShort = 4;    // LUA_VSHRSTR
constexpr int kTagLong = 20;    // LUA_VLNGSTR

constexpr int kAbsLineInfo = -0x80;  // ldebug.h ABSLINEINFO
constexpr int kMaxIwthAbs = 128;     // ldebug.h MAXIWTHABS
// Nested functions deeper than this are refused; the parser's own limit (LUAI_MAXCCALLS, 200 C
// levels) keeps real chunks far below it, and it bounds the recursion on crafted bytes.
constexpr int kMaxDepth = 250;

struct Malformed {};

std::uint64_t fnv1a(std::span<const unsigned char> bytes) {
  std::uint64_t h = 0xcbf29ce484222325ULL;
  for (unsigned char byte : bytes) {
    h ^= byte;
    h *= 0x100000001b3ULL;
  }
  return h;
}

class Reader {
 public:
  explicit Reader(std::span<const unsigned char> bytes) : bytes_(bytes) {}

  std::size_t offset() const { return pos_; }
  std::size_t remaining() const { return bytes_.size() - pos_; }
  std::span<const unsigned char> since(std::size_t start) const {
    return bytes_.subspan(start, pos_ - start);
  }

  std::span<const unsigned char> block(std::size_t n) {  // lundump.c loadBlock
    if (n > remaining()) throw Malformed{};
    std::span<const unsigned char> b = bytes_.subspan(pos_, n);
    pos_ += n;
    return b;
  }
  int byte() { return block(1)[0]; }  // loadByte

  template <typename T>
  T native() {  // loadVar: the writer's machine representation, which must be ours
    T value;
    std::memcpy(&value, block(sizeof(T)).data(), sizeof(T));
    return value;
  }

  // loadUnsigned: 7 bits a byte, most significant group first, the last byte marked with 0x80.
  std::size_t unsigned_(std::size_t limit) {
    std::size_t x = 0;
    int b = 0;
    limit >>= 7;
    do {
      b = byte();
      if (x >= limit) throw Malformed{};  // "integer overflow"
      x = (x << 7) | static_cast<std::size_t>(b & 0x7f);
    } while ((b & 0x80) == 0);
    return x;
  }
  std::size_t size() { return unsigned_(~std::size_t{0}); }                   // loadSize
  int int_() { return static_cast<int>(unsigned_(static_cast<std::size_t>(INT_MAX))); }  // loadInt

  // count: a vector's length, refused when the bytes left cannot hold `min_bytes` per element (so
  // that crafted lengths allocate nothing).
  int count(std::size_t min_bytes) {
    int n = int_();
    if (static_cast<std::size_t>(n) > remaining() / min_bytes) throw Malformed{};
    return n;
  }

  // string: loadStringN; the size is stored plus one, 0 for NULL. Returns whether it was not NULL.
  bool string() {
    std::size_t n = size();
    if (n == 0) return false;
    block(n - 1);
    return true;
  }

  void literal(std::string_view s) {
    std::span<const unsigned char> b = block(s.size());
    if (std::memcmp(b.data(), s.data(), s.size()) != 0) throw Malformed{};
  }

 private:
  std::span<const unsigned char> bytes_;
  std::size_t pos_ = 0;
};

// The header: lundump.c checkHeader, with ldump.c dumpHeader's sizes checked against this build.
void check_header(Reader& r) {
  r.literal(kSignature);
  if (r.byte() != kVersion) throw Malformed{};
  if (r.byte() != kFormat) throw Malformed{};
  r.literal(kData);
  if (r.byte() != 4) throw Malformed{};  // sizeof(Instruction): lopcodes.h needs 32 bits
  if (r.byte() != static_cast<int>(sizeof(lua_Integer))) throw Malformed{};
  if (r.byte() != static_cast<int>(sizeof(lua_Number))) throw Malformed{};
  if (r.native<lua_Integer>() != kCheckInteger) throw Malformed{};
  if (r.native<lua_Number>() != kCheckNumber) throw Malformed{};
}

void read_constants(Reader& r) {  // lundump.c loadConstants
  int n = r.count(1);
  for (int i = 0; i < n; ++i) {
    switch (r.byte()) {
      case kTagNil:
      case kTagFalse:
      case kTagTrue:
        break;
      case kTagFloat:
        r.block(sizeof(lua_Number));
        break;
      case kTagInt:
        r.block(sizeof(lua_Integer));
        break;
      case kTagShort:
      case kTagLong:
        if (!r.string()) throw Malformed{};  // loadString: "bad format for constant string"
        break;
      default:
        throw Malformed{};
    }
  }
}

// compute_lines: ldebug.c luaG_getfuncline for every pc, refusing what it asserts against.
void compute_lines(Proto& p, const std::vector<signed char>& lineinfo,
                   const std::vector<std::pair<int, int>>& abslineinfo) {
  const int size = static_cast<int>(p.code.size());
  if (lineinfo.empty()) throw Malformed{};  // stripped (ldump.c dumpDebug writes no lineinfo)
  if (static_cast<int>(lineinfo.size()) != size) throw Malformed{};
  const int nabs = static_cast<int>(abslineinfo.size());
  p.lines.resize(static_cast<std::size_t>(size));
  for (int pc = 0; pc < size; ++pc) {
    int basepc = -1;  // getbaseline
    long long line = p.linedefined;
    if (nabs != 0 && pc >= abslineinfo[0].first) {
      int i = pc / kMaxIwthAbs - 1;  // the estimate, which must be a lower bound
      if (i >= 0 && (i >= nabs || abslineinfo[static_cast<std::size_t>(i)].first > pc)) {
        throw Malformed{};
      }
      while (i + 1 < nabs && pc >= abslineinfo[static_cast<std::size_t>(i) + 1].first) ++i;
      basepc = abslineinfo[static_cast<std::size_t>(i)].first;
      line = abslineinfo[static_cast<std::size_t>(i)].second;
    }
    while (basepc++ < pc) {
      int delta = lineinfo[static_cast<std::size_t>(basepc)];
      if (delta == kAbsLineInfo) throw Malformed{};
      line += delta;
    }
    if (line < INT_MIN || line > INT_MAX) throw Malformed{};
    p.lines[static_cast<std::size_t>(pc)] = static_cast<int>(line);
  }
}

Proto read_function(Reader& r, int depth) {  // lundump.c loadFunction
  if (depth > kMaxDepth) throw Malformed{};
  const std::size_t start = r.offset();
  Proto p;
  r.string();  // source; NULL when it is the parent's
  p.linedefined = r.int_();
  p.lastlinedefined = r.int_();
  p.numparams = r.byte();
  p.is_vararg = r.byte() != 0;
  p.maxstacksize = r.byte();

  const int ncode = r.count(4);  // loadCode
  p.code.resize(static_cast<std::size_t>(ncode));
  for (Instruction& i : p.code) {
    i.raw = r.native<std::uint32_t>();
    if (static_cast<int>(i.op()) >= kNumOpcodes) throw Malformed{};
  }
  read_constants(r);
  p.nupvalues = r.count(3);  // loadUpvalues: instack, idx, kind
  r.block(static_cast<std::size_t>(p.nupvalues) * 3);
  const int nprotos = r.count(1);  // loadProtos
  p.protos.reserve(static_cast<std::size_t>(nprotos));
  for (int i = 0; i < nprotos; ++i) p.protos.push_back(read_function(r, depth + 1));

  // loadDebug
  std::vector<signed char> lineinfo(static_cast<std::size_t>(r.count(1)));
  for (signed char& delta : lineinfo) delta = static_cast<signed char>(r.byte());
  std::vector<std::pair<int, int>> abslineinfo(static_cast<std::size_t>(r.count(2)));
  for (auto& [pc, line] : abslineinfo) {
    pc = r.int_();
    line = r.int_();
  }
  p.locvars.resize(static_cast<std::size_t>(r.count(3)));
  for (LocVar& v : p.locvars) {
    r.string();
    v.startpc = r.int_();
    v.endpc = r.int_();
  }
  const int nnames = r.count(1);  // upvalue names: all of them, or none when stripped
  if (nnames > p.nupvalues) throw Malformed{};
  for (int i = 0; i < nnames; ++i) r.string();

  compute_lines(p, lineinfo, abslineinfo);
  p.digest = fnv1a(r.since(start));
  return p;
}

int write_dump(lua_State*, const void* chunk, std::size_t size, void* ud) noexcept {  // lua_Writer
  auto* out = static_cast<std::vector<unsigned char>*>(ud);
  try {
    const auto* bytes = static_cast<const unsigned char*>(chunk);
    out->insert(out->end(), bytes, bytes + size);
    return 0;
  } catch (const std::exception&) {  // no exception may cross lua_dump's C frames
    return 1;
  }
}

}  // namespace

std::string_view opcode_name(OpCode op) {
  const auto i = static_cast<std::size_t>(op);
  return i < kOpcodeNames.size() ? kOpcodeNames[i] : std::string_view{"?"};
}

int Proto::active_locals(int pc) const {  // lfunc.c luaF_getlocalname
  int n = 0;
  for (const LocVar& v : locvars) {
    if (v.startpc > pc) break;
    if (pc < v.endpc) ++n;
  }
  return n;
}

std::optional<Proto> parse_chunk(std::span<const unsigned char> dump) {
  try {
    Reader r(dump);
    check_header(r);
    const int nupvalues = r.byte();  // luaU_undump: the closure's upvalues, the prototype's count
    Proto p = read_function(r, 0);
    if (nupvalues != p.nupvalues || r.remaining() != 0) throw Malformed{};
    p.digest = fnv1a(dump);
    return p;
  } catch (const Malformed&) {
    return std::nullopt;
  }
}

std::optional<Proto> parse_function(lua_State* L, int idx) {
  if (lua_type(L, idx) != LUA_TFUNCTION || lua_iscfunction(L, idx)) return std::nullopt;
  if (lua_checkstack(L, 1) == 0) return std::nullopt;
  idx = lua_absindex(L, idx);
  std::vector<unsigned char> dump;
  lua_pushvalue(L, idx);  // lua_dump dumps the function on the top
  const int status = lua_dump(L, write_dump, &dump, 0);
  lua_pop(L, 1);
  if (status != 0) return std::nullopt;
  return parse_chunk(dump);
}

}  // namespace vmmsim::lua
