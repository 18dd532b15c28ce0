#include "invocation.hpp"

#include <fmt/format.h>

#include <charconv>
#include <cmath>

#include "help.hpp"

namespace xtsync::cli {

namespace {

bool is_flag_token(const std::string& token) {
  return token.size() > 1 && token[0] == '-' && token != "--";
}

// The option a flag token names, looked up from `command` up to the root (global flags are
// accepted after the command too).
const CLI::Option* find_flag(CLI::App& command, const std::string& token) {
  const std::string name = token.substr(0, token.find('='));
  // A cluster of short flags ("-qo") is looked up by its first letter.
  const std::string key = name.rfind("--", 0) == 0 || name.size() <= 2 ? name : name.substr(0, 2);
  for (CLI::App* app = &command; app; app = app->get_parent()) {
    if (const auto* option = app->get_option_no_throw(key)) return option;
  }
  return nullptr;
}

// Whether the token after this flag is its value.
bool takes_next(const CLI::Option* option, const std::string& token) {
  return option && option->get_expected_min() > 0 && token.find('=') == std::string::npos &&
         (token.rfind("--", 0) == 0 || token.size() == 2);
}

CLI::App* find_subcommand(CLI::App& command, const std::string& word) {
  for (auto* sub : visible_subcommands(command)) {
    if (sub->get_name() == word) return sub;
  }
  return nullptr;
}

Error unknown_command(CLI::App& command, const std::string& word) {
  std::vector<std::string> names;
  for (const auto* sub : visible_subcommands(command)) names.push_back(sub->get_name());
  if (!command.get_parent()) names.insert(names.end(), {"help", "version"});
  Error error(ErrorKind::usage, fmt::format("unknown command \"{}\" for \"{}\"", word, command_path(command)));
  const auto near = closest_match(word, names);
  error.hint = near ? fmt::format("did you mean '{} {}'?", command_path(command), *near)
                    : fmt::format("run '{} --help' to see the commands", command_path(command));
  return error;
}

std::string usage_hint(CLI::App& command) {
  return fmt::format("run '{} --help' for usage and examples", command_path(command));
}

bool mentions(const std::vector<std::string>& args, std::string_view flag) {
  for (const auto& arg : args) {
    if (arg == flag || arg.rfind(std::string(flag) + "=", 0) == 0) return true;
  }
  return false;
}

}  // namespace

Invocation read_invocation(CLI::App& root, int argc, const char* const* argv) {
  Invocation inv;
  for (int i = 1; i < argc; ++i) inv.args.emplace_back(argv[i]);
  if (inv.args.empty()) {
    inv.kind = Invocation::Kind::help;
    inv.help_for = &root;
    return inv;
  }
  if (inv.args[0] == "help") {
    CLI::App* command = &root;
    for (std::size_t i = 1; i < inv.args.size() && !is_flag_token(inv.args[i]); ++i) {
      CLI::App* sub = find_subcommand(*command, inv.args[i]);
      if (!sub) throw unknown_command(*command, inv.args[i]);
      command = sub;
    }
    inv.kind = Invocation::Kind::help;
    inv.help_for = command;
    return inv;
  }

  // Walk the command words, stepping over flags and their values.
  CLI::App* command = &root;
  bool named = false;  // a command word was found below `command`'s parent
  for (std::size_t i = 0; i < inv.args.size(); ++i) {
    const std::string& token = inv.args[i];
    if (token == "--") break;
    if (is_flag_token(token)) {
      if (takes_next(find_flag(*command, token), token)) ++i;
      continue;
    }
    if (visible_subcommands(*command).empty()) break;  // the command's own arguments
    if (CLI::App* sub = find_subcommand(*command, token)) {
      command = sub;
      named = true;
      continue;
    }
    if (command == &root && token == "version") {
      inv.kind = Invocation::Kind::version;
      return inv;
    }
    throw unknown_command(*command, token);
  }
  // `xtsync auth` alone: the group's page, as gh does.
  if (named && !visible_subcommands(*command).empty()) {
    inv.kind = Invocation::Kind::help;
    inv.help_for = command;
  }
  return inv;
}

CLI::App& deepest_parsed(CLI::App& root) {
  CLI::App* command = &root;
  for (bool descended = true; descended;) {
    descended = false;
    for (auto* sub : visible_subcommands(*command)) {
      if (sub->parsed()) {
        command = sub;
        descended = true;
        break;
      }
    }
  }
  return *command;
}

Error usage_error_from(const CLI::ParseError& e, CLI::App& root, const std::vector<std::string>& args) {
  CLI::App& command = deepest_parsed(root);
  const std::string path = command_path(command);

  if (dynamic_cast<const CLI::ExtrasError*>(&e)) {
    // An unknown flag, named with the nearest one; else an argument too many.
    for (const auto& token : args) {
      if (token == "--") break;
      if (!is_flag_token(token) || find_flag(command, token)) continue;
      const std::string name = token.substr(0, token.find('='));
      Error error(ErrorKind::usage, fmt::format("unknown flag \"{}\" for \"{}\"", name, path));
      const auto near = closest_match(name, flag_names(root, command));
      error.hint = near ? fmt::format("did you mean {}?", *near) : usage_hint(command);
      return error;
    }
    // CLI11 lists the extras last first: "...not expected: c b".
    const std::string what = e.what();
    const auto colon = what.rfind(": ");
    const std::string list = colon == std::string::npos ? std::string() : what.substr(colon + 2);
    const std::string extra = list.substr(list.rfind(' ') == std::string::npos ? 0 : list.rfind(' ') + 1);
    Error error(ErrorKind::usage, extra.empty() ? fmt::format("{} for \"{}\"", what, path)
                                                : fmt::format("unexpected argument \"{}\" for \"{}\"", extra, path));
    error.hint = usage_hint(command);
    return error;
  }
  if (dynamic_cast<const CLI::RequiredError*>(&e)) {
    const std::string what = e.what();
    if (what.rfind("PARTNER", 0) == 0) {
      Error error(ErrorKind::usage,
                  fmt::format("\"{}\" needs PARTNER: the partner's tenant ID or one of its domain names", path));
      error.hint = mentions(args, "--tenant")
                       ? fmt::format("--tenant names the tenant you sign in to, not the partner; put the partner "
                                     "first: {} PARTNER --tenant YOUR_TENANT",
                                     path)
                       : fmt::format("for example: {} 9c5d131d-b1c3-4fc4-9e3f-c6557947d551, or {} contoso.com", path,
                                     path);
      return error;
    }
    if (what.find("subcommand is required") != std::string::npos) {
      Error error(ErrorKind::usage, "no command given");
      error.hint = usage_hint(command);
      return error;
    }
    Error error(ErrorKind::usage, what);
    error.hint = usage_hint(command);
    return error;
  }
  if (dynamic_cast<const CLI::ValidationError*>(&e) || dynamic_cast<const CLI::ConversionError*>(&e)) {
    Error error(ErrorKind::usage, fmt::format("invalid value for {}", e.what()));
    error.hint = usage_hint(command);
    return error;
  }
  Error error(ErrorKind::usage, e.what());
  error.hint = usage_hint(command);
  return error;
}

namespace {

std::optional<double> as_number(const std::string& text) {
  double value = 0;
  const auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (text.empty() || ec != std::errc{} || ptr != text.data() + text.size() || !std::isfinite(value)) return std::nullopt;
  return value;
}

std::string number_text(double value) {
  return fmt::format("{}", value);
}

}  // namespace

CLI::Validator number_between(double low, double high) {
  return CLI::Validator(
      [low, high](std::string& text) -> std::string {
        const auto value = as_number(text);
        if (!value) return fmt::format("\"{}\" is not a number", text);
        if (*value < low || *value > high) {
          return fmt::format("{} is out of range: use {} to {}", text, number_text(low), number_text(high));
        }
        return {};
      },
      "");
}

CLI::Validator whole_number_between(long long low, long long high) {
  return CLI::Validator(
      [low, high](std::string& text) -> std::string {
        long long value = 0;
        const auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
        if (text.empty() || ec != std::errc{} || ptr != text.data() + text.size()) {
          return fmt::format("\"{}\" is not a whole number", text);
        }
        if (value < low || value > high) return fmt::format("{} is out of range: use {} to {}", text, low, high);
        return {};
      },
      "");
}

}  // namespace xtsync::cli
