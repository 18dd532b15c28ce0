// What the command line asks for, read before and after CLI11 parses it: `help` and `version`,
// bare `xtsync`, unknown commands with a suggestion, and CLI11's parse errors rewritten in the
// tool's own error:/hint: form.
#pragma once

#include <CLI/CLI.hpp>
#include <string>
#include <vector>

#include "error.hpp"

namespace xtsync::cli {

struct Invocation {
  enum class Kind { run, help, version };
  Kind kind = Kind::run;
  std::vector<std::string> args;  // argv without argv[0]; `help CMD` becomes `CMD --help`
  CLI::App* help_for = nullptr;   // Kind::help: whose page
};

// Throws Error(usage) for a command word that is not a command, suggesting the nearest one.
Invocation read_invocation(CLI::App& root, int argc, const char* const* argv);

// The subcommand CLI11 got furthest into (the root when none).
CLI::App& deepest_parsed(CLI::App& root);

// A CLI11 parse error as the tool's usage error: what is wrong, named, and a hint.
Error usage_error_from(const CLI::ParseError& error, CLI::App& root, const std::vector<std::string>& args);

// Checks for numeric options: "'abc' is not a number", "must be from 0.1 to 3600".
CLI::Validator number_between(double low, double high);
CLI::Validator whole_number_between(long long low, long long high);

}  // namespace xtsync::cli
