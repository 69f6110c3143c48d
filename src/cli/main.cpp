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
  explore_options.program = argv[0];

  // Bare `vmmsim`: the help, rather than CLI11's "A subcommand is required".
  if (argc == 1) {
    fmt::print("{}", app.help());
    return kUsageError;
  }

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
  // An option of the other subcommand (`run x.lua --jitter 2`): CLI11 would say "arguments were not
  // expected: 2 --jitter"; name the subcommand it belongs to.
  if (argc > 2) {
    CLI::App* mine = run->check_name(argv[1]) ? run : explore->check_name(argv[1]) ? explore : nullptr;
    CLI::App* other = mine == run ? explore : run;
    for (int i = 2; mine != nullptr && i < argc; ++i) {
      std::string word = argv[i];
      if (word == "--") break;
      if (word.rfind("--", 0) != 0) continue;
      std::string name = word.substr(0, word.find('='));
      auto has = [&name](const CLI::App* sub) {
        for (const CLI::Option* opt : sub->get_options())
          if (opt->check_lname(name.substr(2))) return true;
        return false;
      };
      if (!has(mine) && has(other)) {
        fmt::print(stderr, "vmmsim {}: {} is an option of `vmmsim {}`, not of `vmmsim {}`; see vmmsim {} --help\n",
                   mine->get_name(), name, other->get_name(), mine->get_name(), mine->get_name());
        return kUsageError;
      }
    }
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
