#include "help.hpp"

#include "util/strings.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>

namespace xtsync::cli {

namespace {

constexpr std::size_t k_flag_column = 34;  // where descriptions start

// "FORMAT" for -o: the type name CLI11 keeps, without the validators' descriptions, with its
// generic names replaced by what a user types.
std::string value_placeholder(const CLI::Option& option) {
  const std::string full = option.get_type_name();
  std::string type = full.substr(0, full.find(':'));
  // A short list of choices is the best placeholder: "allow|block".
  if (const auto brace = full.find(":{"); brace != std::string::npos && full.back() == '}') {
    std::string choices = full.substr(brace + 2, full.size() - brace - 3);
    std::replace(choices.begin(), choices.end(), ',', '|');
    if (choices.size() <= 20) return choices;
    // --cloud CLOUD: the choices are in the description.
    return option.get_lnames().empty() ? std::string("VALUE") : util::to_upper(option.get_lnames().front());
  }
  const std::string name = option.get_lnames().empty() ? std::string() : option.get_lnames().front();
  if (name.ends_with("-file")) return "FILE";
  if (name.ends_with("-url")) return "URL";
  if (name.ends_with("-id")) return "ID";
  if (name == "tenant") return "TENANT";
  if (type == "TEXT" || type.empty()) return "VALUE";
  if (type == "FLOAT") return "NUMBER";
  if (type == "INT" || type == "UINT") return "N";
  return type;
}

std::string flag_line(const CLI::Option& option) {
  std::string names;
  for (const auto& s : option.get_snames()) names.append("-").append(s).append(", ");
  if (names.empty()) names = "    ";
  bool first = true;
  for (const auto& l : option.get_lnames()) {
    if (!first) names.append(", ");
    names.append("--").append(l);
    first = false;
  }
  if (names.ends_with(", ")) names.resize(names.size() - 2);
  if (option.get_expected_min() > 0) names.append(" ").append(value_placeholder(option));
  std::string line = "  ";
  line.append(names);
  line.append(line.size() + 2 <= k_flag_column ? k_flag_column - line.size() : 2, ' ');
  line.append(option.get_description());
  line.append("\n");
  return line;
}

std::vector<const CLI::Option*> flags_of(const CLI::App& app) {
  return app.get_options([](const CLI::Option* o) { return o->nonpositional() && !o->get_group().empty(); });
}

std::string usage_line(CLI::App& command) {
  std::string usage = command_path(command);
  if (!visible_subcommands(command).empty()) return usage + " COMMAND [flags]";
  for (const auto* positional : command.get_options([](const CLI::Option* o) { return o->get_positional(); })) {
    const std::string name = positional->get_name(true);
    usage.append(" ").append(positional->get_required() ? name : "[" + name + "]");
  }
  return usage + " [flags]";
}

// Optimal string alignment distance: insertions, deletions, substitutions, and a swap of two
// neighbours ("lsit") as one edit, as people make it.
std::size_t edit_distance(std::string_view a, std::string_view b) {
  std::vector<std::vector<std::size_t>> d(a.size() + 1, std::vector<std::size_t>(b.size() + 1));
  for (std::size_t i = 0; i <= a.size(); ++i) d[i][0] = i;
  for (std::size_t j = 0; j <= b.size(); ++j) d[0][j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    for (std::size_t j = 1; j <= b.size(); ++j) {
      d[i][j] = std::min({d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1)});
      if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1]) d[i][j] = std::min(d[i][j], d[i - 2][j - 2] + 1);
    }
  }
  return d[a.size()][b.size()];
}

}  // namespace

void set_examples(CLI::App& command, std::initializer_list<std::string_view> lines) {
  std::string text;
  for (const auto line : lines) text.append("  ").append(line).append("\n");
  command.footer(text);
}

std::string command_path(const CLI::App& command) {
  std::string path = command.get_name();
  for (const CLI::App* parent = command.get_parent(); parent; parent = parent->get_parent()) {
    path = parent->get_name() + " " + path;
  }
  return path;
}

std::vector<CLI::App*> visible_subcommands(CLI::App& command) {
  return command.get_subcommands([](CLI::App* sub) { return !sub->get_group().empty() && !sub->get_name().empty(); });
}

std::vector<std::string> flag_names(CLI::App& root, CLI::App& command) {
  std::vector<std::string> names;
  for (const CLI::App* app = &command; app; app = app->get_parent()) {
    for (const auto* option : flags_of(*app)) {
      for (const auto& l : option->get_lnames()) names.push_back("--" + l);
      for (const auto& s : option->get_snames()) names.push_back("-" + s);
    }
    if (app == &root) break;
  }
  return names;
}

std::string command_help(CLI::App& root, CLI::App& command) {
  std::string out = command.get_description();
  if (!out.empty() && out.back() != '.') out += '.';
  out += "\n\nUSAGE\n  " + usage_line(command) + "\n";

  const auto subcommands = visible_subcommands(command);
  if (!subcommands.empty()) {
    out += "\nCOMMANDS\n";
    std::size_t width = 0;
    for (const auto* sub : subcommands) width = std::max(width, sub->get_name().size());
    for (const auto* sub : subcommands) {
      out += fmt::format("  {:<{}}  {}\n", sub->get_name(), width, sub->get_description());
    }
  }

  const auto positionals = command.get_options([](const CLI::Option* o) { return o->get_positional(); });
  if (!positionals.empty()) {
    out += "\nARGUMENTS\n";
    for (const auto* positional : positionals) {
      std::string line = "  " + positional->get_name(true);
      line.append(line.size() + 2 <= k_flag_column ? k_flag_column - line.size() : 2, ' ');
      out += line + positional->get_description() + "\n";
    }
  }

  const bool is_root = &command == &root;
  std::string own;
  for (const auto* option : flags_of(command)) {
    if (!option->check_lname("help")) own += flag_line(*option);  // listed once, below
  }
  if (!is_root && !own.empty()) out += "\nFLAGS\n" + own;

  // The root's flags apply to every command (gh calls them inherited); --version only at the top.
  std::string global;
  for (const auto* option : flags_of(root)) {
    if (is_root || !option->check_lname("version")) global += flag_line(*option);
  }
  out += is_root ? "\nGLOBAL FLAGS\n" : "\nINHERITED FLAGS\n";
  out += global;

  if (const std::string examples = command.get_footer(); !examples.empty()) out += "\nEXAMPLES\n" + examples;
  out += "\nLEARN MORE\n";
  if (!subcommands.empty()) {
    out += fmt::format("  Use '{} COMMAND --help' (or 'xtsync help COMMAND') for more about a command.\n",
                       command_path(command));
  }
  out += "  The full reference, every flag, variable and exit code: man xtsync\n";
  return out;
}

std::optional<std::string> closest_match(std::string_view word, const std::vector<std::string>& candidates) {
  std::optional<std::string> best;
  std::size_t best_distance = 0;
  const std::size_t limit = std::max<std::size_t>(2, word.size() / 3);
  for (const auto& candidate : candidates) {
    const std::size_t distance = edit_distance(word, candidate);
    if (distance <= limit && (!best || distance < best_distance)) {
      best = candidate;
      best_distance = distance;
    }
  }
  if (best || word.size() < 2) return best;
  for (const auto& candidate : candidates) {
    if (candidate.starts_with(word)) return candidate;
  }
  return std::nullopt;
}

}  // namespace xtsync::cli
