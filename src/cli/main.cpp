// main.cpp: the vmmsim command: argument parsing and dispatch only (scenario-api.md "Command line").
// Each command lives in its own file with an add_*_command / *_command pair; add new ones here.
#include <CLI/CLI.hpp>
#include <fmt/core.h>

#include "explore_command.hpp"
#include "run_command.hpp"
#include "vmmsim/vmmsim.hpp"

namespace {

constexpr int kUsageError = 2;  // model.md section 6: 2 is kept for command-line usage errors

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"vmmsim: a simulator of the Windows 95 VMM scheduler and event services", "vmmsim"};
  app.set_version_flag("--version", fmt::format("vmmsim {}", vmmsim::version), "Print the version and exit");
  app.require_subcommand(1);

  vmmsim::command::RunOptions run_options;
  CLI::App* run = vmmsim::command::add_run_command(app, run_options);
  vmmsim::command::ExploreCommandOptions explore_options;
  CLI::App* explore = vmmsim::command::add_explore_command(app, explore_options);

  // CLI11 reports an unknown first word only as "A subcommand is required"; name it instead.
  auto is_command = [&](const std::string& word) {
    for (const CLI::App* sub : app.get_subcommands({}))
      if (sub->check_name(word)) return true;
    return false;
  };
  if (argc > 1 && argv[1][0] != '-' && !is_command(argv[1])) {
    fmt::print(stderr, "vmmsim: unknown command '{}' (commands: run, explore); see vmmsim --help\n", argv[1]);
    return kUsageError;
  }
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    int code = app.exit(e);  // prints help/version to stdout, errors to stderr
    return code == 0 ? 0 : kUsageError;
  }
  if (run->parsed()) return vmmsim::command::run_command(run_options);
  if (explore->parsed()) return vmmsim::command::explore_command(explore_options);
  return kUsageError;
}
