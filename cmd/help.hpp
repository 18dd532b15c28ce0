// Help for people: gh-style pages (purpose, usage, flags, inherited flags, examples), and the
// "did you mean" suggestions of the usage errors. The man page stays the full reference.
#pragma once

#include <CLI/CLI.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace xtsync::cli {

// A command's examples, shown under EXAMPLES in its help (kept in CLI11's footer).
void set_examples(CLI::App& command, std::initializer_list<std::string_view> lines);

// "xtsync", "xtsync get", "xtsync auth status".
std::string command_path(const CLI::App& command);

// The help page of `command` (the root or any subcommand); `root` holds the global flags.
std::string command_help(CLI::App& root, CLI::App& command);

// The candidate nearest to `word` by edit distance (at most 2, or a third of the word), or one
// that starts with it; nullopt when nothing is near.
std::optional<std::string> closest_match(std::string_view word, const std::vector<std::string>& candidates);

// The visible subcommands of `command`, in the order they were added.
std::vector<CLI::App*> visible_subcommands(CLI::App& command);

// Every long and short flag name `command` accepts, its own and the root's ("--user-sync", "-o").
std::vector<std::string> flag_names(CLI::App& root, CLI::App& command);

}  // namespace xtsync::cli
