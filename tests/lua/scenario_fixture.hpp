// scenario_fixture.hpp: running small scenario strings through run_lua_scenario in tests.
#pragma once

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "lua_scenario.hpp"

namespace vmmsim::lua::test {

// Capture: a log sink that keeps every record.
class Capture : public LogSink {
 public:
  void record(const LogRecord& r) override { records.push_back(r); }
  // texts: the text of every record of kind (all kinds if empty).
  std::vector<std::string> texts(const std::string& kind = "") const {
    std::vector<std::string> out;
    for (const LogRecord& r : records)
      if (kind.empty() || r.kind == kind) out.push_back(r.text);
    return out;
  }
  // logged: the texts of vmm.log calls, in order.
  std::vector<std::string> logged() const { return texts("log"); }
  std::vector<LogRecord> records;
};

// ScenarioTest: writes scenarios into a directory of its own and runs them.
class ScenarioTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() / ("vmmsim_lua_" + std::to_string(::getpid()));
    std::filesystem::create_directories(dir_);
  }
  void TearDown() override {
    std::error_code ignored;
    std::filesystem::remove_all(dir_, ignored);
  }

  // write: the scenario file `name` with `source`; returns its path.
  std::string write(const std::string& name, const std::string& source) {
    std::filesystem::path path = dir_ / name;
    std::ofstream(path) << source;
    return path.string();
  }

  // run: runs source as the scenario `name`; the records go to log_.
  LuaRunResult run(const std::string& source, std::uint64_t seed = 0, const std::string& name = "s.lua") {
    LuaRunOptions options;
    options.file = write(name, source);
    options.seed = seed;
    options.has_seed = seed != 0;
    options.log = &log_;
    return run_lua_scenario(options);
  }

  std::string path(const std::string& name) const { return (dir_ / name).string(); }

  std::filesystem::path dir_;
  Capture log_;
};

}  // namespace vmmsim::lua::test
