// image_files.hpp: the i386 images tests/emu/CMakeLists.txt builds, and reading them.
#pragma once

#include <cstdint>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

namespace vmmsim::emu::test {

inline std::string image_path(const std::string& name) { return std::string(VMMSIM_I386_DIR) + "/" + name + ".elf"; }

inline std::vector<std::uint8_t> read_bytes(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

}  // namespace vmmsim::emu::test
