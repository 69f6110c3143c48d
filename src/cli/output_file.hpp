// output_file.hpp: a file the command writes (trace, chrome trace, timeline), with the errors a
// user can act on: "cannot open 'f' for writing: <reason>", "error writing 'f': <reason>".
#pragma once

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <string>
#include <string_view>

namespace vmmsim::command {

class OutputFile {
 public:
  // open: opens path for writing (truncating it); false with error set if it cannot.
  bool open(const std::string& path, std::string& error) {
    path_ = path;
    file_ = std::fopen(path.c_str(), "wb");
    if (file_ == nullptr) {
      error = "cannot open '" + path + "' for writing: " + std::strerror(errno);
      return false;
    }
    return true;
  }
  ~OutputFile() {
    if (file_ != nullptr) std::fclose(file_);
  }
  OutputFile() = default;
  OutputFile(const OutputFile&) = delete;
  OutputFile& operator=(const OutputFile&) = delete;

  void write(std::string_view text) {
    if (file_ != nullptr && !failed_ && std::fwrite(text.data(), 1, text.size(), file_) != text.size()) {
      failed_ = true;
      errno_ = errno;
    }
  }
  // close: flushes and closes; returns "" or the first error.
  std::string close() {
    if (file_ == nullptr) return "";
    if (std::fclose(file_) != 0 && !failed_) {
      failed_ = true;
      errno_ = errno;
    }
    file_ = nullptr;
    return failed_ ? "error writing '" + path_ + "': " + std::strerror(errno_) : "";
  }

 private:
  std::FILE* file_ = nullptr;
  std::string path_;
  bool failed_ = false;
  int errno_ = 0;
};

}  // namespace vmmsim::command
