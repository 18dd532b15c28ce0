// Shell completion scripts generated from the CLI11 definitions themselves, so they cannot
// drift from the command line: `xtsync completion bash|zsh|fish`.
//
// What the scripts know comes from the App tree at run time:
//  - commands and nested commands (`auth status`), with their descriptions;
//  - each command's short and long options, and the options of the commands above it that it
//    accepts too (CLI11's fallthrough), except their --help and --version;
//  - which options take a value, and how that value completes:
//      * one of a list: the set of a CLI::IsMember check (the check is the list's only source);
//      * a file name: an option or argument named `file` or `…-file` / `…_file`, or one checked
//        with CLI::ExistingFile (or another FILE/PATH/DIR validator, or type_name FILE);
//      * a URL (zsh only, which has _urls): an option named `url` or `…-url`;
//      * anything else: free text, nothing offered;
//  - positional arguments the same way (e.g. `completion SHELL` offers bash, zsh and fish).
// Options and commands that CLI11 hides (empty group) are left out, as from --help.
#pragma once

#include <CLI/CLI.hpp>
#include <string>
#include <string_view>
#include <vector>

namespace xtsync::cli {

enum class CompletionKind { flag, text, file, url, choices };

struct CompletionValue {
  CompletionKind kind = CompletionKind::flag;
  std::vector<std::string> choices;  // for CompletionKind::choices
  bool operator==(const CompletionValue&) const = default;
};

struct CompletionOption {
  std::vector<std::string> names;  // "-o", "--output": short names first
  std::string description;
  CompletionValue value;
  // --help and --version: each command has its own, and nothing else goes with them.
  bool local = false;
  bool operator==(const CompletionOption&) const = default;
};

struct CompletionArgument {
  std::string name;
  std::string description;
  CompletionValue value;  // never CompletionKind::flag
  bool repeats = false;   // takes every remaining word
};

struct CompletionCommand {
  std::vector<std::string> path;  // {} for the program itself, {"auth", "status"}
  std::string description;
  std::vector<CompletionOption> options;  // its own
  std::vector<CompletionArgument> arguments;
  std::vector<std::string> subcommands;
  // Accepts the options of the command above it too (CLI11's fallthrough).
  bool inherits = false;
};

// The command tree of `app`, in pre-order: `app` itself first, then each subcommand followed
// by the commands below it, in the order they were added.
std::vector<CompletionCommand> completion_model(CLI::App& app);

// Every option `command` accepts: its own, then those it gets from the commands above it,
// nearest first (without their local ones, and without names it defines itself).
std::vector<CompletionOption> effective_options(const std::vector<CompletionCommand>& model, std::size_t command);

// The shells there is a script for: bash, zsh, fish.
const std::vector<std::string>& completion_shells();

// The completion script for `shell` (one of completion_shells()) of the program `app`
// (named app.get_name()). Throws std::invalid_argument for another shell, and
// std::logic_error for a definition no script can express (e.g. a choice with a space).
std::string completion_script(CLI::App& app, std::string_view shell);

}  // namespace xtsync::cli
