// elf32_image_test.cpp: the ELF32 loader (src/emu/elf32_image.*) on the images the build makes, in
// the three forms, and on hostile inputs: each refusal names the file and what is wrong.
#include "emu/elf32_image.hpp"

#include <elf.h>
#include <gtest/gtest.h>

#include <cstring>

#include "image_files.hpp"

namespace vmmsim::emu {
namespace {

using test::image_path;
using test::read_bytes;

const LoadWindow kWindow{0x00010000, 0x10000000, 0x00400000};

std::uint32_t word(const Elf32Image& img, std::uint32_t a) {
  std::uint32_t v;
  std::memcpy(&v, img.bytes.data() + (a - img.base), 4);
  return v;
}

std::string refusal(const std::vector<std::uint8_t>& file, const LoadWindow& w = kWindow) {
  try {
    load_elf32(file, "img.elf", w);
  } catch (const ImageError& e) {
    return e.what();
  }
  return "(loaded)";
}

class LoaderForm : public ::testing::TestWithParam<const char*> {};

TEST_P(LoaderForm, FindsTheDdbAndTheControlProcedure) {
  Elf32Image img = load_elf32_file(image_path(GetParam()), kWindow);
  EXPECT_EQ(img.ddb_symbol, "EMUTEST_DDB");
  EXPECT_EQ(img.device_name, "EMUTEST");
  ASSERT_TRUE(img.find("EMUTEST_Control"));
  EXPECT_EQ(img.control_proc, *img.find("EMUTEST_Control"));
  EXPECT_TRUE(img.in_code(img.control_proc));
  EXPECT_EQ(img.symbolize(*img.find("add3") + 1), "add3+0x1");
  EXPECT_EQ(img.symbolize(img.base - 1), "");
}

TEST_P(LoaderForm, RelocatedPointersPointIntoTheLoadedImage) {
  Elf32Image img = load_elf32_file(image_path(GetParam()), kWindow);
  // The DDB's own DDB_Control_Proc is a relocated address (R_386_32 / R_386_RELATIVE in ET_DYN).
  EXPECT_EQ(word(img, img.ddb + 0x18), img.control_proc);
  // counter_ref = &counter: find counter through counter_ref's contents holding 40.
  ASSERT_TRUE(img.find("add3"));
  if (std::string(GetParam()) == "emu_exec") {
    EXPECT_EQ(img.base, 0x08048000u);
    EXPECT_EQ(img.relocations, 0u);
  } else {
    EXPECT_EQ(img.base, 0x00400000u);
    EXPECT_GT(img.relocations, 0u);
  }
}

INSTANTIATE_TEST_SUITE_P(Elf32, LoaderForm, ::testing::Values("emu_pic", "emu_nopic", "emu_exec"));

TEST(Elf32Refuses, ANativeSharedObject) {
  EXPECT_FALSE(is_elf32(read_bytes(VMMSIM_NATIVE_SO)));
  EXPECT_TRUE(is_elf32(read_bytes(image_path("emu_pic"))));
  EXPECT_NE(refusal(read_bytes(VMMSIM_NATIVE_SO)).find("an ELF64 file"), std::string::npos);
}

TEST(Elf32Refuses, AnotherMachine) {
  auto file = read_bytes(image_path("emu_pic"));
  std::uint16_t arm = EM_ARM;
  std::memcpy(file.data() + offsetof(Elf32_Ehdr, e_machine), &arm, 2);
  EXPECT_EQ(refusal(file), "img.elf: machine 40 (ARM), not i386 (EM_386): build the VxD with gcc -m32");
}

TEST(Elf32Refuses, NotElfAtAll) {
  EXPECT_EQ(refusal({'M', 'Z', 0, 0}), "img.elf: not an ELF file (no \\x7fELF magic)");
  EXPECT_EQ(refusal({}), "img.elf: not an ELF file (no \\x7fELF magic)");
}

TEST(Elf32Refuses, TruncatedFilesAtEveryLength) {
  auto file = read_bytes(image_path("emu_pic"));
  // Every prefix is refused with "truncated" (or a field that now lies past the end), never a crash.
  for (std::size_t n = 4; n < file.size(); n += (n < 256 ? 1 : 97)) {
    std::vector<std::uint8_t> cut(file.begin(), file.begin() + static_cast<std::ptrdiff_t>(n));
    std::string why = refusal(cut);
    EXPECT_NE(why.find("truncated"), std::string::npos) << n << ": " << why;
  }
}

TEST(Elf32Refuses, NoDdb) {
  EXPECT_EQ(refusal(read_bytes(image_path("no_ddb"))),
            "img.elf: no DDB: no exported symbol is named *_DDB (the DDK's Declare_Virtual_Device)");
}

TEST(Elf32Refuses, AnImport) {
  std::string why = refusal(read_bytes(image_path("undefined_import")));
  EXPECT_NE(why.find("needs the undefined symbol 'some_import': a VxD imports nothing"), std::string::npos) << why;
}

// first_rel: the file offset of the first Elf32_Rel of the image's first SHT_REL section.
std::size_t first_rel(const std::vector<std::uint8_t>& file) {
  Elf32_Ehdr eh;
  std::memcpy(&eh, file.data(), sizeof eh);
  for (int i = 0; i < eh.e_shnum; ++i) {
    Elf32_Shdr sh;
    std::memcpy(&sh, file.data() + eh.e_shoff + i * sizeof sh, sizeof sh);
    if (sh.sh_type == SHT_REL) return sh.sh_offset;
  }
  return 0;
}

TEST(Elf32Refuses, ARelocationOutOfTheImage) {
  auto file = read_bytes(image_path("emu_nopic"));
  std::size_t at = first_rel(file);
  ASSERT_NE(at, 0u);
  std::uint32_t far = 0x7ffff000;
  std::memcpy(file.data() + at + offsetof(Elf32_Rel, r_offset), &far, 4);
  EXPECT_EQ(refusal(file), "img.elf: relocation 0 patches 0x803ff000, outside the image (0x00400000-0x00405000)");
}

TEST(Elf32Refuses, AnUnknownRelocationType) {
  auto file = read_bytes(image_path("emu_nopic"));
  std::size_t at = first_rel(file);
  Elf32_Rel rel;
  std::memcpy(&rel, file.data() + at, sizeof rel);
  rel.r_info = ELF32_R_INFO(ELF32_R_SYM(rel.r_info), R_386_TLS_TPOFF);
  std::memcpy(file.data() + at, &rel, sizeof rel);
  EXPECT_NE(refusal(file).find("has type 14, which vmmsim does not apply"), std::string::npos) << refusal(file);
}

TEST(Elf32Refuses, AnExecutableOutsideTheFlatSpace) {
  LoadWindow low{0x00010000, 0x01000000, 0x00400000};
  std::string why = refusal(read_bytes(image_path("emu_exec")), low);
  EXPECT_NE(why.find("outside the flat space vmmsim gives VxDs (0x00010000-0x01000000): link it at another address"),
            std::string::npos)
      << why;
}

TEST(Elf32Refuses, ASegmentLargerInTheFileThanInMemory) {
  auto file = read_bytes(image_path("emu_pic"));
  Elf32_Ehdr eh;
  std::memcpy(&eh, file.data(), sizeof eh);
  Elf32_Phdr ph;
  for (int i = 0; i < eh.e_phnum; ++i) {
    std::size_t off = eh.e_phoff + i * sizeof ph;
    std::memcpy(&ph, file.data() + off, sizeof ph);
    if (ph.p_type != PT_LOAD) continue;
    ph.p_filesz = ph.p_memsz + 1;
    std::memcpy(file.data() + off, &ph, sizeof ph);
    break;
  }
  EXPECT_NE(refusal(file).find("more file bytes"), std::string::npos) << refusal(file);
}

TEST(Elf32Refuses, AFileThatCannotBeRead) {
  EXPECT_THROW(load_elf32_file("/nonexistent/x.elf", kWindow), ImageError);
}

}  // namespace
}  // namespace vmmsim::emu
