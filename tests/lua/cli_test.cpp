// cli_test.cpp: the vmmsim command as a user runs it: exit codes, stdout (the log and the ending),
// stderr for usage errors, and the machine-readable outputs.
#include <nlohmann/json.hpp>
#include <sys/wait.h>

#include <cstdlib>
#include <fstream>
#include <map>
#include <set>
#include <sstream>

#include "scenario_fixture.hpp"

namespace vmmsim::lua::test {

namespace {

using ::testing::EndsWith;
using ::testing::HasSubstr;
using ::testing::StartsWith;

struct Command {
  int exit_code;
  std::string out, err;
};

std::string slurp(const std::string& file) {
  std::ifstream in(file);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

class Cli : public ScenarioTest {
 protected:
  Command vmmsim(const std::string& args) {
    std::string out = path("stdout.txt"), err = path("stderr.txt");
    std::string command = std::string(VMMSIM_CLI_PATH) + " " + args + " >" + out + " 2>" + err;
    int status = std::system(command.c_str());
    return {WIFEXITED(status) ? WEXITSTATUS(status) : -1, slurp(out), slurp(err)};
  }
};

TEST_F(Cli, Version) {
  Command c = vmmsim("--version");
  EXPECT_EQ(c.exit_code, 0);
  EXPECT_EQ(c.out, "vmmsim 0.1.0\n");
}

TEST_F(Cli, Help) {
  Command c = vmmsim("--help");
  EXPECT_EQ(c.exit_code, 0);
  EXPECT_THAT(c.out, HasSubstr("run"));
  Command run = vmmsim("run --help");
  EXPECT_EQ(run.exit_code, 0);
  EXPECT_THAT(run.out, HasSubstr("--chrome-trace"));
}

TEST_F(Cli, UsageErrorsExitTwoNamingTheOption) {
  write("ok.lua", "");
  EXPECT_EQ(vmmsim("").exit_code, 2);
  Command bogus = vmmsim("run " + path("ok.lua") + " --bogus");
  EXPECT_EQ(bogus.exit_code, 2);
  EXPECT_THAT(bogus.err, HasSubstr("--bogus"));
  Command seed = vmmsim("run " + path("ok.lua") + " --seed abc");
  EXPECT_EQ(seed.exit_code, 2);
  EXPECT_THAT(seed.err, HasSubstr("--seed"));
  for (const char* bad : {"-1", "18446744073709551616", "12x"}) {
    Command out_of_range = vmmsim("run " + path("ok.lua") + " --seed " + bad);
    EXPECT_EQ(out_of_range.exit_code, 2) << bad;
    EXPECT_THAT(out_of_range.err, HasSubstr(std::string("--seed: '") + bad + "' is not an integer")) << bad;
  }
  EXPECT_EQ(vmmsim("run " + path("ok.lua") + " --seed 18446744073709551615").exit_code, 0);
  EXPECT_EQ(vmmsim("run").exit_code, 2);
  EXPECT_EQ(vmmsim("frobnicate").exit_code, 2);
}

TEST_F(Cli, MissingScenario) {
  Command c = vmmsim("run " + path("x.lua"));
  EXPECT_EQ(c.exit_code, 2);
  EXPECT_EQ(c.err, "vmmsim run: cannot open '" + path("x.lua") + "': No such file or directory\n");
  EXPECT_EQ(c.out, "");
}

TEST_F(Cli, LogLinesThenEnding) {
  std::string file = write("a.lua", "vmm.create_thread{name = 'A', body = function() vmm.ring3(2.5) vmm.log('hi %d', 5) end}\n");
  Command c = vmmsim("run " + file);
  EXPECT_EQ(c.exit_code, 0);
  EXPECT_THAT(c.out, HasSubstr("\n2.500 A hi 5\n"));
  EXPECT_THAT(c.out, StartsWith("0.000 A "));
  EXPECT_THAT(c.out, EndsWith("\nfinished at 2.500 ms\n"));
  Command quiet = vmmsim("run " + file + " --quiet");
  EXPECT_EQ(quiet.out, "finished at 2.500 ms\n");
}

TEST_F(Cli, ExitCodesFollowTheOutcome) {
  Command error = vmmsim("run " + write("e.lua", "vmm.create_thread{name = 'A', body = function()\n  error('bad')\nend}\n"));
  EXPECT_EQ(error.exit_code, 1);
  EXPECT_THAT(error.out, EndsWith("error: " + path("e.lua") + ":2: bad\n  at 0.000 ms on thread A\n"));
  Command stuck = vmmsim("run " + write("s.lua", "vmm.create_thread{name = 'A', body = function() vmm._BlockOnID(1, 0) end}") + " --quiet");
  EXPECT_EQ(stuck.exit_code, 3);
  EXPECT_THAT(stuck.out, StartsWith("stuck:"));
  Command limit = vmmsim("run " + write("t.lua", "vmm.config{max_time = 50}\nvmm.create_thread{name = 'A', body = function() vmm.ring3(100) end}") + " --quiet");
  EXPECT_EQ(limit.exit_code, 5);
  EXPECT_EQ(limit.out, "time_limit: max_time 50.000 ms reached\n");
  Command on_exit = vmmsim("run " + write("x.lua", "vmm.on_exit(function(o) error('no ' .. o) end)") + " --quiet");
  EXPECT_EQ(on_exit.exit_code, 1);
  EXPECT_EQ(on_exit.out, "finished at 0.000 ms\nerror: " + path("x.lua") + ":1: no finished\n");
}

TEST_F(Cli, SeedReachesMathRandom) {
  std::string file = write("r.lua", "vmm.log('%d', math.random(1 << 30))");
  EXPECT_EQ(vmmsim("run " + file + " --seed 3").out, vmmsim("run " + file + " --seed 3").out);
  EXPECT_NE(vmmsim("run " + file + " --seed 3").out, vmmsim("run " + file + " --seed 4").out);
  EXPECT_EQ(vmmsim("run " + file).out, vmmsim("run " + file + " --seed 0").out);
}

constexpr const char* kBusy = R"(
local B = vmm.create_thread{name = "B", priority = 0x20, body = function()
  vmm._BlockOnID("go", 0)
  vmm.ring3(2)
end}
vmm.create_thread{name = "A", priority = 0x10, body = function()
  vmm.Schedule_Thread_Event(B, function(e) vmm.log("event for B") end, 1)
  vmm.ring3(3)
  vmm._SignalID("go")
  vmm.ring3(1)
end}
)";

TEST_F(Cli, JsonLinesTrace) {
  Command c = vmmsim("run " + write("b.lua", kBusy) + " --quiet --trace " + path("t.jsonl"));
  ASSERT_EQ(c.exit_code, 0) << c.out << c.err;
  std::istringstream lines(slurp(path("t.jsonl")));
  std::string line;
  int n = 0;
  bool saw_from = false;
  while (std::getline(lines, line)) {
    nlohmann::json j = nlohmann::json::parse(line);
    for (const char* key : {"t", "thread", "kind", "priority", "text"}) EXPECT_TRUE(j.contains(key)) << line;
    if (j["kind"] == "run") saw_from |= j.contains("from");
    ++n;
  }
  EXPECT_GT(n, 5);
  EXPECT_TRUE(saw_from);
}

TEST_F(Cli, TracesEscapeAnyText) {
  std::string file = write("q.lua", "vmm.create_thread{name = 'q\"\\\\', body = function() vmm.log('a\"b\\\\c\\1\\255\\n') end}");
  Command c = vmmsim("run " + file + " --quiet --trace " + path("q.jsonl") + " --chrome-trace " + path("q.json"));
  ASSERT_EQ(c.exit_code, 0) << c.out << c.err;
  bool found = false;
  std::istringstream lines(slurp(path("q.jsonl")));
  std::string line;
  while (std::getline(lines, line)) {
    nlohmann::json j = nlohmann::json::parse(line);
    if (j["kind"] == "log") {
      found = true;
      EXPECT_EQ(j["thread"], "q\"\\");
      EXPECT_EQ(j["text"], "a\"b\\c\x01\xEF\xBF\xBD\n");  // \255 is not UTF-8: replaced by U+FFFD
    }
  }
  EXPECT_TRUE(found);
  EXPECT_TRUE(nlohmann::json::accept(slurp(path("q.json"))));
}

TEST_F(Cli, ChromeTrace) {
  Command c = vmmsim("run " + write("b.lua", kBusy) + " --quiet --chrome-trace " + path("c.json"));
  ASSERT_EQ(c.exit_code, 0) << c.out << c.err;
  nlohmann::json doc = nlohmann::json::parse(slurp(path("c.json")));
  std::map<std::string, int> tids;
  int spans = 0, instants = 0;
  double a_busy = 0;
  for (const auto& e : doc["traceEvents"]) {
    if (e["ph"] == "M" && e["name"] == "thread_name") tids[e["args"]["name"]] = e["tid"];
    if (e["ph"] == "X") {
      ++spans;
      if (e["tid"] == tids["A"] && e["cat"] == "cpu") a_busy += e["dur"].get<double>();
    }
    if (e["ph"] == "i") ++instants;
  }
  EXPECT_TRUE(tids.count("A") && tids.count("B"));
  EXPECT_GE(spans, 2);
  EXPECT_GT(instants, 0);
  EXPECT_DOUBLE_EQ(a_busy, 4000.0);  // A holds the CPU for ring3(3) + ring3(1), in microseconds
}

TEST_F(Cli, TimelineIsOneSelfContainedPage) {
  Command c = vmmsim("run " + write("b.lua", kBusy) + " --quiet --timeline " + path("t.html"));
  ASSERT_EQ(c.exit_code, 0) << c.out << c.err;
  std::string html = slurp(path("t.html"));
  EXPECT_THAT(html, StartsWith("<!DOCTYPE html>"));
  EXPECT_THAT(html, HasSubstr("<canvas"));
  // The page's data (timeline_data.cpp): A's and B's lanes, B blocked on 'go', the event's arrow.
  auto from = html.find("<script id=\"data\" type=\"application/json\">");
  ASSERT_NE(from, std::string::npos);
  from = html.find('>', from) + 1;
  nlohmann::json data = nlohmann::json::parse(html.substr(from, html.find("</script>", from) - from));
  std::set<std::string> names;
  for (const auto& t : data["threads"]) names.insert(t["name"]);
  EXPECT_TRUE(names.count("A") && names.count("B"));
  bool blocked = false;
  for (const auto& s : data["iv"]["state"]) blocked |= data["states"][s.get<int>()]["code"] == "blocked";
  EXPECT_TRUE(blocked);
  ASSERT_EQ(data["arrows"].size(), 2u);  // the thread event, and the _SignalID waking B
  EXPECT_EQ(data["arrows"][0][7], "run");
  EXPECT_EQ(data["outcome"]["name"], "finished");
  EXPECT_EQ(html.find("src="), std::string::npos);
  EXPECT_EQ(html.find("https:"), std::string::npos);
}

TEST_F(Cli, UnwritableOutputIsAUsageError) {
  Command c = vmmsim("run " + write("ok.lua", "") + " --trace " + path("no/such/dir/t.jsonl"));
  EXPECT_EQ(c.exit_code, 2);
  EXPECT_THAT(c.err, HasSubstr("cannot open '" + path("no/such/dir/t.jsonl") + "' for writing"));
}

}  // namespace

}  // namespace vmmsim::lua::test
