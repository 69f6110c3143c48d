// output_file.hpp: a file the command writes (report, trace, chrome trace, timeline), with the
// errors a user can act on: "cannot open 'f' for writing: <reason>", "error writing 'f': <reason>".
//
// Written atomically (issue 11 item 3): the text goes to a temporary file beside the target
// (".NAME.vmmsim-PID"), renamed over it only when close() succeeds, so an interrupted or failed
// command never leaves an empty or half-written file; a file not closed is removed.
#pragma once

#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <string>
#include <string_view>

namespace vmmsim::command {

class OutputFile {
 public:
  // open: creates the temporary file for path; false with error set if it cannot (the same
  // reasons as opening path: a missing directory, no permission).
  bool open(const std::string& path, std::string& error) {
    path_ = path;
    std::string::size_type slash = path.rfind('/');
    std::string dir = slash == std::string::npos ? "" : path.substr(0, slash + 1);
    std::string name = slash == std::string::npos ? path : path.substr(slash + 1);
    temp_ = dir + "." + name + ".vmmsim-" + std::to_string(::getpid());
    file_ = std::fopen(temp_.c_str(), "wb");
    if (file_ == nullptr) {
      error = "cannot open '" + path + "' for writing: " + std::strerror(errno);
      return false;
    }
    return true;
  }
  ~OutputFile() {
    if (file_ != nullptr) {
      std::fclose(file_);
      std::remove(temp_.c_str());
    }
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
  // close: flushes, closes and puts the file in place; returns "" or the first error (the target
  // is then left as it was).
  std::string close() {
    if (file_ == nullptr) return "";
    if (std::fclose(file_) != 0 && !failed_) {
      failed_ = true;
      errno_ = errno;
    }
    file_ = nullptr;
    if (!failed_ && std::rename(temp_.c_str(), path_.c_str()) != 0) {
      failed_ = true;
      errno_ = errno;
    }
    if (failed_) std::remove(temp_.c_str());
    return failed_ ? "error writing '" + path_ + "': " + std::strerror(errno_) : "";
  }

 private:
  std::FILE* file_ = nullptr;
  std::string path_;
  std::string temp_;
  bool failed_ = false;
  int errno_ = 0;
};

}  // namespace vmmsim::command
