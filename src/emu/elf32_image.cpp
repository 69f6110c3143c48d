// elf32_image.cpp: the loader of elf32_image.hpp. Every offset and size read from the file is
// checked against the file (or the image) before it is used, in 64-bit arithmetic, so a truncated or
// hostile file gives an ImageError and never a read out of bounds.
#include "emu/elf32_image.hpp"

#include <elf.h>
#include <fmt/format.h>

#include <algorithm>
#include <cstring>
#include <fstream>
#include <iterator>

namespace vmmsim::emu {

namespace {

constexpr std::uint32_t kPage = 0x1000;

// The DDK's VxD_Desc_Block (VMM.INC, "Declare_Virtual_Device"): the fields vmmsim reads.
constexpr std::uint32_t kDdbReqDeviceNumber = 0x06;
constexpr std::uint32_t kDdbName = 0x0C;
constexpr std::uint32_t kDdbControlProc = 0x18;
constexpr std::uint32_t kDdbMinSize = 0x1C;

class Reader {
 public:
  Reader(std::span<const std::uint8_t> file, const std::string& path) : file_(file), path_(path) {}
  template <class T>
  T at(std::uint64_t offset, const char* what) const {
    if (offset > file_.size() || file_.size() - offset < sizeof(T))
      fail(fmt::format("truncated: the {} at file offset 0x{:x} ({} bytes) is past its end ({} bytes)", what, offset,
                       sizeof(T), file_.size()));
    T v;
    std::memcpy(&v, file_.data() + offset, sizeof(T));
    return v;
  }
  void check_range(std::uint64_t offset, std::uint64_t size, const std::string& what) const {
    if (offset > file_.size() || file_.size() - offset < size)
      fail(fmt::format("truncated: {} (file offset 0x{:x}, 0x{:x} bytes) is past its end ({} bytes)", what, offset,
                       size, file_.size()));
  }
  std::span<const std::uint8_t> bytes(std::uint64_t offset, std::uint64_t size) const {
    return file_.subspan(static_cast<std::size_t>(offset), static_cast<std::size_t>(size));
  }
  [[noreturn]] void fail(const std::string& what) const { throw ImageError(fmt::format("{}: {}", path_, what)); }
  const std::string& path() const { return path_; }

 private:
  std::span<const std::uint8_t> file_;
  const std::string& path_;
};

const char* machine_name(std::uint16_t m) {
  switch (m) {
    case EM_X86_64: return "x86-64";
    case EM_ARM: return "ARM";
    case EM_AARCH64: return "AArch64";
    case EM_MIPS: return "MIPS";
    case EM_PPC: return "PowerPC";
    case EM_RISCV: return "RISC-V";
  }
  return "another machine";
}

void check_header(const Reader& r, const Elf32_Ehdr& eh) {
  if (std::memcmp(eh.e_ident, ELFMAG, SELFMAG) != 0) r.fail("not an ELF file (no \\x7fELF magic)");
  if (eh.e_ident[EI_CLASS] != ELFCLASS32)
    r.fail(eh.e_ident[EI_CLASS] == ELFCLASS64 ? "an ELF64 file: a VxD image is ELF32 i386 (gcc -m32)"
                                              : "not an ELF32 file (bad class)");
  if (eh.e_ident[EI_DATA] != ELFDATA2LSB) r.fail("not little-endian: a VxD image is ELF32 i386");
  if (eh.e_machine != EM_386)
    r.fail(fmt::format("machine {} ({}), not i386 (EM_386): build the VxD with gcc -m32", eh.e_machine,
                       machine_name(eh.e_machine)));
  if (eh.e_type != ET_DYN && eh.e_type != ET_EXEC)
    r.fail(fmt::format("ELF type {} is neither ET_EXEC nor ET_DYN (link the object: -shared or -static)",
                       eh.e_type == ET_REL ? "ET_REL (an object file)" : std::to_string(eh.e_type)));
  if (eh.e_phentsize != sizeof(Elf32_Phdr))
    r.fail(fmt::format("program header entries of {} bytes, not {}", eh.e_phentsize, sizeof(Elf32_Phdr)));
  if (eh.e_phnum == 0) r.fail("no program headers: nothing to load");
  if (eh.e_shnum != 0 && eh.e_shentsize != sizeof(Elf32_Shdr))
    r.fail(fmt::format("section header entries of {} bytes, not {}", eh.e_shentsize, sizeof(Elf32_Shdr)));
}

struct Sections {
  std::vector<Elf32_Shdr> all;
  const Elf32_Shdr* symtab = nullptr;  // SHT_SYMTAB, else SHT_DYNSYM
};

Sections read_sections(const Reader& r, const Elf32_Ehdr& eh) {
  Sections s;
  if (eh.e_shnum == 0) r.fail("no section headers (stripped?): the DDB's symbol cannot be found");
  for (std::uint32_t i = 0; i < eh.e_shnum; ++i)
    s.all.push_back(r.at<Elf32_Shdr>(std::uint64_t{eh.e_shoff} + std::uint64_t{i} * sizeof(Elf32_Shdr), "section header"));
  for (const Elf32_Shdr& sh : s.all)
    if (sh.sh_type == SHT_SYMTAB) s.symtab = &sh;
  if (s.symtab == nullptr)
    for (const Elf32_Shdr& sh : s.all)
      if (sh.sh_type == SHT_DYNSYM) s.symtab = &sh;
  if (s.symtab == nullptr) r.fail("no symbol table: the DDB's symbol cannot be found");
  return s;
}

class Loader {
 public:
  Loader(const Reader& r, const Elf32_Ehdr& eh, const LoadWindow& w) : r_(r), eh_(eh), w_(w) {}

  Elf32Image load() {
    img_.path = r_.path();
    map_segments();
    Sections s = read_sections(r_, eh_);
    read_symbols(s);
    for (const Elf32_Shdr& sh : s.all) {
      if (sh.sh_type == SHT_RELA) r_.fail("RELA relocations: i386 images use REL (Elf32_Rel)");
      if (sh.sh_type == SHT_REL) relocate(s, sh);
    }
    find_ddb();
    return std::move(img_);
  }

 private:
  void map_segments() {
    std::uint64_t lo = UINT64_MAX, hi = 0;
    for (std::uint32_t i = 0; i < eh_.e_phnum; ++i) {
      auto ph = r_.at<Elf32_Phdr>(std::uint64_t{eh_.e_phoff} + std::uint64_t{i} * sizeof(Elf32_Phdr), "program header");
      if (ph.p_type != PT_LOAD) continue;
      if (ph.p_filesz > ph.p_memsz)
        r_.fail(fmt::format("segment {} has more file bytes (0x{:x}) than memory (0x{:x})", i, ph.p_filesz, ph.p_memsz));
      r_.check_range(ph.p_offset, ph.p_filesz, fmt::format("segment {}", i));
      lo = std::min<std::uint64_t>(lo, ph.p_vaddr & ~std::uint64_t{kPage - 1});
      hi = std::max<std::uint64_t>(hi, std::uint64_t{ph.p_vaddr} + ph.p_memsz);
      segments_.push_back(ph);
    }
    if (segments_.empty()) r_.fail("no PT_LOAD segment: nothing to load");
    hi = (hi + kPage - 1) & ~std::uint64_t{kPage - 1};
    bias_ = eh_.e_type == ET_DYN ? std::int64_t{w_.dyn_base} - static_cast<std::int64_t>(lo) : 0;
    std::uint64_t from = static_cast<std::uint64_t>(static_cast<std::int64_t>(lo) + bias_);
    std::uint64_t to = static_cast<std::uint64_t>(static_cast<std::int64_t>(hi) + bias_);
    if (from < w_.lo || to > w_.hi)
      r_.fail(fmt::format("the image spans 0x{:08x}-0x{:08x}, outside the flat space vmmsim gives VxDs "
                          "(0x{:08x}-0x{:08x}){}",
                          from, to, w_.lo, w_.hi, eh_.e_type == ET_EXEC ? ": link it at another address" : ""));
    img_.base = static_cast<std::uint32_t>(from);
    img_.bytes.assign(static_cast<std::size_t>(to - from), 0);
    for (const Elf32_Phdr& ph : segments_) {
      std::uint32_t at = addr(ph.p_vaddr);
      std::span<const std::uint8_t> src = r_.bytes(ph.p_offset, ph.p_filesz);
      std::copy(src.begin(), src.end(), img_.bytes.begin() + (at - img_.base));
      if (ph.p_flags & PF_X) img_.code.emplace_back(at, at + ph.p_memsz);
    }
  }

  std::uint32_t addr(std::uint32_t vaddr) const {
    return static_cast<std::uint32_t>(static_cast<std::int64_t>(vaddr) + bias_);
  }

  std::string name_at(const Sections& s, std::uint32_t strtab_index, std::uint32_t offset) const {
    if (strtab_index >= s.all.size()) r_.fail("a symbol table's string table index is out of range");
    const Elf32_Shdr& st = s.all[strtab_index];
    r_.check_range(st.sh_offset, st.sh_size, "a string table");
    if (offset >= st.sh_size) r_.fail(fmt::format("a symbol name at 0x{:x} is past its string table", offset));
    std::span<const std::uint8_t> b = r_.bytes(st.sh_offset + offset, st.sh_size - offset);
    auto nul = std::find(b.begin(), b.end(), std::uint8_t{0});
    if (nul == b.end()) r_.fail("a symbol name is not terminated");
    return std::string(b.begin(), nul);
  }

  std::vector<Elf32_Sym> symbols_of(const Sections& s, const Elf32_Shdr& tab) const {
    if (tab.sh_entsize != sizeof(Elf32_Sym)) r_.fail("symbol table entries are not Elf32_Sym");
    r_.check_range(tab.sh_offset, tab.sh_size, "the symbol table");
    std::vector<Elf32_Sym> out(tab.sh_size / sizeof(Elf32_Sym));
    for (std::size_t i = 0; i < out.size(); ++i)
      out[i] = r_.at<Elf32_Sym>(tab.sh_offset + i * sizeof(Elf32_Sym), "symbol");
    static_cast<void>(s);
    return out;
  }

  void read_symbols(const Sections& s) {
    for (const Elf32_Sym& sym : symbols_of(s, *s.symtab)) {
      if (sym.st_shndx == SHN_UNDEF || sym.st_name == 0) continue;
      int type = ELF32_ST_TYPE(sym.st_info), bind = ELF32_ST_BIND(sym.st_info);
      if (type != STT_FUNC && type != STT_OBJECT && type != STT_NOTYPE) continue;
      std::uint32_t a = sym.st_shndx == SHN_ABS ? sym.st_value : addr(sym.st_value);
      std::string name = name_at(s, s.symtab->sh_link, sym.st_name);
      if (type == STT_FUNC) img_.functions.push_back({a, sym.st_size, name});
      if (bind == STB_GLOBAL || bind == STB_WEAK) img_.exports.emplace(std::move(name), a);
    }
    std::sort(img_.functions.begin(), img_.functions.end(),
              [](const ImageSymbol& a, const ImageSymbol& b) { return a.address < b.address; });
  }

  std::uint32_t word_at(std::uint32_t a) const {
    std::uint32_t v;
    std::memcpy(&v, img_.bytes.data() + (a - img_.base), 4);
    return v;
  }
  void put_word(std::uint32_t a, std::uint32_t v) { std::memcpy(img_.bytes.data() + (a - img_.base), &v, 4); }

  void relocate(const Sections& s, const Elf32_Shdr& sh) {
    if (sh.sh_entsize != sizeof(Elf32_Rel)) r_.fail("relocation entries are not Elf32_Rel");
    r_.check_range(sh.sh_offset, sh.sh_size, "a relocation section");
    std::vector<Elf32_Sym> syms;
    if (sh.sh_link != 0) {
      if (sh.sh_link >= s.all.size()) r_.fail("a relocation section's symbol table index is out of range");
      syms = symbols_of(s, s.all[sh.sh_link]);
    }
    for (std::uint32_t i = 0; i < sh.sh_size / sizeof(Elf32_Rel); ++i) {
      auto rel = r_.at<Elf32_Rel>(std::uint64_t{sh.sh_offset} + std::uint64_t{i} * sizeof(Elf32_Rel), "relocation");
      std::uint32_t type = ELF32_R_TYPE(rel.r_info), symi = ELF32_R_SYM(rel.r_info);
      if (type == R_386_NONE) continue;
      std::uint64_t p = static_cast<std::uint64_t>(static_cast<std::int64_t>(rel.r_offset) + bias_);
      if (p < img_.base || p + 4 > img_.end())
        r_.fail(fmt::format("relocation {} patches 0x{:x}, outside the image (0x{:08x}-0x{:08x})", i, p, img_.base,
                            img_.end()));
      auto where = static_cast<std::uint32_t>(p);
      if (type != R_386_RELATIVE && type != R_386_32 && type != R_386_PC32 && type != R_386_GLOB_DAT &&
          type != R_386_JMP_SLOT)
        r_.fail(fmt::format("relocation {} at 0x{:08x} has type {}, which vmmsim does not apply (R_386_32, "
                            "R_386_PC32, R_386_RELATIVE, R_386_GLOB_DAT, R_386_JMP_SLOT)",
                            i, where, type));
      std::uint32_t sym_addr = 0;
      if (type != R_386_RELATIVE) {
        if (symi >= syms.size()) r_.fail(fmt::format("relocation {} names symbol {}, past its symbol table", i, symi));
        const Elf32_Sym& sym = syms[symi];
        if (sym.st_shndx == SHN_UNDEF)
          r_.fail(fmt::format("relocation {} at 0x{:08x} needs the undefined symbol '{}': a VxD imports nothing "
                              "(VMM services are called with INT 20h)",
                              i, where, name_at(s, s.all[sh.sh_link].sh_link, sym.st_name)));
        sym_addr = sym.st_shndx == SHN_ABS ? sym.st_value : addr(sym.st_value);
      }
      switch (type) {
        case R_386_RELATIVE: put_word(where, word_at(where) + static_cast<std::uint32_t>(bias_)); break;
        case R_386_32: put_word(where, word_at(where) + sym_addr); break;
        case R_386_PC32: put_word(where, word_at(where) + sym_addr - where); break;
        case R_386_GLOB_DAT:
        case R_386_JMP_SLOT: put_word(where, sym_addr); break;
        default: break;  // refused above
      }
      ++img_.relocations;
    }
  }

  void find_ddb() {
    std::vector<std::pair<std::string, std::uint32_t>> ddbs;
    for (const auto& [name, a] : img_.exports)
      if (name.size() > 4 && name.ends_with("_DDB")) ddbs.emplace_back(name, a);
    if (ddbs.empty()) r_.fail("no DDB: no exported symbol is named *_DDB (the DDK's Declare_Virtual_Device)");
    if (ddbs.size() > 1) r_.fail(fmt::format("two DDBs: {} and {}", ddbs[0].first, ddbs[1].first));
    auto [name, a] = ddbs[0];
    if (a < img_.base || std::uint64_t{a} + kDdbMinSize > img_.end())
      r_.fail(fmt::format("the DDB {} at 0x{:08x} is not inside the image", name, a));
    img_.ddb = a;
    img_.ddb_symbol = name;
    const std::uint8_t* d = img_.bytes.data() + (a - img_.base);
    std::memcpy(&img_.device_id, d + kDdbReqDeviceNumber, 2);
    std::string dev(reinterpret_cast<const char*>(d + kDdbName), 8);
    while (!dev.empty() && (dev.back() == ' ' || dev.back() == '\0')) dev.pop_back();
    if (dev.empty() || dev.find('\0') != std::string::npos)
      r_.fail(fmt::format("the DDB {} has no DDB_Name (8 characters, padded with spaces)", name));
    img_.device_name = dev;
    img_.control_proc = word_at(a + kDdbControlProc);
    if (!img_.in_code(img_.control_proc))
      r_.fail(fmt::format("the DDB {}'s DDB_Control_Proc 0x{:08x} is not in the image's code", name,
                          img_.control_proc));
  }

  const Reader& r_;
  const Elf32_Ehdr& eh_;
  const LoadWindow& w_;
  std::vector<Elf32_Phdr> segments_;
  std::int64_t bias_ = 0;
  Elf32Image img_;
};

}  // namespace

std::optional<std::uint32_t> Elf32Image::find(std::string_view name) const {
  auto it = exports.find(name);
  if (it == exports.end()) return std::nullopt;
  return it->second;
}

bool Elf32Image::in_code(std::uint32_t address) const {
  return std::any_of(code.begin(), code.end(), [&](const auto& r) { return address >= r.first && address < r.second; });
}

std::string Elf32Image::symbolize(std::uint32_t address) const {
  auto it = std::upper_bound(functions.begin(), functions.end(), address,
                             [](std::uint32_t a, const ImageSymbol& s) { return a < s.address; });
  if (it == functions.begin()) return "";
  --it;
  if (address >= it->address + std::max<std::uint32_t>(it->size, 1)) return "";
  return address == it->address ? it->name : fmt::format("{}+0x{:x}", it->name, address - it->address);
}

bool is_elf32(std::span<const std::uint8_t> head) {
  return head.size() > EI_CLASS && std::memcmp(head.data(), ELFMAG, SELFMAG) == 0 && head[EI_CLASS] == ELFCLASS32;
}

Elf32Image load_elf32(std::span<const std::uint8_t> file, const std::string& path, const LoadWindow& window) {
  Reader r(file, path);
  if (file.size() < SELFMAG || std::memcmp(file.data(), ELFMAG, SELFMAG) != 0)
    r.fail("not an ELF file (no \\x7fELF magic)");
  auto eh = r.at<Elf32_Ehdr>(0, "ELF header");
  check_header(r, eh);
  return Loader(r, eh, window).load();
}

Elf32Image load_elf32_file(const std::string& path, const LoadWindow& window) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw ImageError(fmt::format("{}: cannot be read", path));
  std::vector<std::uint8_t> file((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  return load_elf32(file, path, window);
}

}  // namespace vmmsim::emu
