// elf32_image.hpp: an ELF32 i386 VxD image (ET_DYN or ET_EXEC, as GCC builds one with -m32), laid
// out as it runs in the VMM's 32-bit flat address space: its PT_LOAD segments at their addresses
// (an ET_DYN image moved to the base it is given), relocations applied, its symbols and its DDB
// (issue 20 item 1). The DDB is the exported object named *_DDB (the DDK's Declare_Virtual_Device
// names it NAME_DDB), laid out as the DDK's VxD_Desc_Block; its DDB_Control_Proc is the Device
// Control Procedure. Anything else (another machine, no DDB, a relocation out of the image) is
// refused with an ImageError naming the file and what is wrong, before any of it runs.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <span>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace vmmsim::emu {

struct ImageError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

// LoadWindow: where an image may sit in the flat space (the guest memory's arena) and where an ET_DYN
// image is placed.
struct LoadWindow {
  std::uint32_t lo = 0;
  std::uint32_t hi = 0;
  std::uint32_t dyn_base = 0;
};

struct ImageSymbol {
  std::uint32_t address = 0;
  std::uint32_t size = 0;
  std::string name;
};

struct Elf32Image {
  std::string path;
  std::uint32_t base = 0;           // the flat address of bytes[0] (page aligned)
  std::vector<std::uint8_t> bytes;  // the image as loaded: segments, zeroed bss, relocated
  std::vector<std::pair<std::uint32_t, std::uint32_t>> code;  // [from, to) of executable segments
  std::map<std::string, std::uint32_t, std::less<>> exports;  // global symbols defined by the image
  std::vector<ImageSymbol> functions;                         // every function symbol, by address
  std::uint32_t ddb = 0;           // the DDB's address
  std::string ddb_symbol;          // "SERIAL_DDB"
  std::string device_name;         // DDB_Name without its padding
  std::uint16_t device_id = 0;     // DDB_Req_Device_Number
  std::uint32_t control_proc = 0;  // DDB_Control_Proc
  std::size_t relocations = 0;     // how many were applied

  std::uint32_t end() const { return base + static_cast<std::uint32_t>(bytes.size()); }
  std::optional<std::uint32_t> find(std::string_view name) const;
  bool in_code(std::uint32_t address) const;
  // symbolize: "ReadByte+0x12" for an address inside a function symbol, "" otherwise.
  std::string symbolize(std::uint32_t address) const;
};

// is_elf32: the file starts with the ELF magic and class ELFCLASS32 (vmm.load_vxd emulates it; an
// ELF64 shared object is loaded with dlopen as before).
bool is_elf32(std::span<const std::uint8_t> head);

Elf32Image load_elf32(std::span<const std::uint8_t> file, const std::string& path, const LoadWindow& window);
// load_elf32_file: reads path (ImageError when it cannot be read) and loads it.
Elf32Image load_elf32_file(const std::string& path, const LoadWindow& window);

}  // namespace vmmsim::emu
