// Runs the built liqmap binary (LIQMAP_CLI) through the shell and captures its exit code and output.
#pragma once

#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

namespace liqmap::testing {

struct CliRun {
  int exit_code;
  std::string out;  // stdout
  std::string err;  // stderr
};

inline std::string slurp(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

// `args` go through the shell as written; `stdin_from` is a shell redirection source, if any.
inline CliRun run_cli(const std::string& args, const std::string& stdin_from = "") {
  const auto base = std::filesystem::temp_directory_path() / ("liqmap-cli-io-" + std::to_string(::getpid()));
  const std::string command = std::string(LIQMAP_CLI) + " " + args + (stdin_from.empty() ? "" : " < " + stdin_from) +
                              " > " + base.string() + ".out 2> " + base.string() + ".err";
  const int status = std::system(command.c_str());
  CliRun run{WIFEXITED(status) ? WEXITSTATUS(status) : -1, slurp(base.string() + ".out"), slurp(base.string() + ".err")};
  std::filesystem::remove(base.string() + ".out");
  std::filesystem::remove(base.string() + ".err");
  return run;
}

}  // namespace liqmap::testing
