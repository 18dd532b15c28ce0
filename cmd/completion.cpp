// xtsync completion bash|zsh|fish: the shell completion script, generated from the CLI11
// definitions (see completion.hpp for what it knows and where from).
#include "completion.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <stdexcept>

#include "commands.hpp"

namespace xtsync::cli {

// cmd/ is one unity translation unit: the helpers live in a namespace of their own, so that a
// helper of the same name in another file's anonymous namespace cannot clash with them.
namespace completion_writer {
namespace {

bool ends_with(std::string_view text, std::string_view tail) {
  return text.size() >= tail.size() && text.substr(text.size() - tail.size()) == tail;
}

// Names, after the dashes: `file`, `ca-file`, `client_secret_file`.
bool names_a_file(std::string_view name) {
  return name == "file" || ends_with(name, "-file") || ends_with(name, "_file");
}

bool names_a_url(std::string_view name) { return name == "url" || ends_with(name, "-url") || ends_with(name, "_url"); }

std::vector<CLI::Validator*> validators_of(CLI::Option& option) {
  std::vector<CLI::Validator*> list;
  for (int i = 0;; ++i) {
    try {
      list.push_back(option.get_validator(i));
    } catch (const CLI::OptionNotFound&) {
      return list;
    }
  }
}

// The set of a CLI::IsMember check. CLI11 2.1 keeps the set inside the check and shows it only
// in the description, "{a,b,c}"; a description read that way counts only when the check itself
// accepts every value in it, so a description that is not such a set is never taken for one.
std::vector<std::string> member_set(const CLI::Validator& validator) {
  const std::string description = validator.get_description();
  if (description.size() < 3 || description.front() != '{' || description.back() != '}') return {};
  std::vector<std::string> values;
  const std::string_view inner = std::string_view(description).substr(1, description.size() - 2);
  for (std::size_t start = 0;;) {
    const std::size_t comma = inner.find(',', start);
    values.emplace_back(inner.substr(start, comma == std::string_view::npos ? comma : comma - start));
    if (comma == std::string_view::npos) break;
    start = comma + 1;
  }
  for (const auto& value : values) {
    std::string probe = value;
    if (value.empty() || !validator(probe).empty()) return {};
  }
  return values;
}

bool is_path_validator(const CLI::Validator& validator) {
  const std::string description = validator.get_description();
  return description == "FILE" || description == "DIR" || description.rfind("PATH", 0) == 0;
}

CompletionValue value_of(CLI::Option& option, const std::vector<std::string>& names) {
  if (option.get_items_expected_max() == 0) return {};
  const auto validators = validators_of(option);
  for (const auto* validator : validators) {
    if (auto set = member_set(*validator); !set.empty()) return {CompletionKind::choices, std::move(set)};
  }
  const std::string type = option.get_type_name();
  const std::string base_type = type.substr(0, type.find(':'));
  const bool path_check = std::any_of(validators.begin(), validators.end(),
                                      [](const CLI::Validator* v) { return is_path_validator(*v); });
  if (path_check || base_type == "FILE" || base_type == "PATH" ||
      std::any_of(names.begin(), names.end(), [](const std::string& n) { return names_a_file(n); })) {
    return {CompletionKind::file, {}};
  }
  if (std::any_of(names.begin(), names.end(), [](const std::string& n) { return names_a_url(n); })) {
    return {CompletionKind::url, {}};
  }
  return {CompletionKind::text, {}};
}

// CLI11 hides options and commands whose group is empty.
bool hidden(const CLI::Option& option) { return option.get_group().empty(); }

std::vector<CLI::App*> children_of(CLI::App& app) {
  return app.get_subcommands(std::function<bool(CLI::App*)>([](CLI::App* sub) { return !sub->get_disabled(); }));
}

// The options of `app` and of its option groups (CLI11's nameless subcommands).
void collect_options(CLI::App& app, CLI::App& owner, CompletionCommand& command) {
  for (CLI::Option* option : app.get_options()) {
    if (hidden(*option)) continue;
    std::vector<std::string> bare;  // names without dashes, for names_a_file/names_a_url
    if (!option->get_snames().empty() || !option->get_lnames().empty()) {
      CompletionOption spec;
      for (const auto& s : option->get_snames()) {
        spec.names.push_back("-" + s);
        bare.push_back(s);
      }
      for (const auto& l : option->get_lnames()) {
        spec.names.push_back("--" + l);
        bare.push_back(l);
      }
      spec.description = option->get_description();
      spec.value = value_of(*option, bare);
      spec.local = option == owner.get_help_ptr() || option == owner.get_help_all_ptr() ||
                   option == owner.get_version_ptr();
      command.options.push_back(std::move(spec));
    }
    if (option->get_positional()) {
      CompletionArgument argument;
      argument.name = option->get_single_name();
      if (!option->get_lnames().empty() || !option->get_snames().empty()) {
        argument.name = option->get_name(true, true);  // "name,--name": take the positional part
        argument.name = argument.name.substr(0, argument.name.find(','));
      }
      argument.description = option->get_description();
      argument.value = value_of(*option, {argument.name});
      if (argument.value.kind == CompletionKind::flag) argument.value.kind = CompletionKind::text;
      argument.repeats = option->get_items_expected_max() > 1;
      command.arguments.push_back(std::move(argument));
    }
  }
  for (CLI::App* sub : children_of(app)) {
    if (sub->get_name().empty()) collect_options(*sub, owner, command);
  }
}

void collect_commands(CLI::App& app, const std::vector<std::string>& path, std::vector<CompletionCommand>& model) {
  CompletionCommand command;
  command.path = path;
  command.description = app.get_description();
  command.inherits = !path.empty() && app.get_fallthrough();
  collect_options(app, app, command);
  std::vector<CLI::App*> subcommands;
  for (CLI::App* sub : children_of(app)) {
    if (sub->get_name().empty() || sub->get_group().empty()) continue;  // option groups; hidden
    command.subcommands.push_back(sub->get_name());
    subcommands.push_back(sub);
  }
  model.push_back(std::move(command));
  for (CLI::App* sub : subcommands) {
    std::vector<std::string> sub_path = path;
    sub_path.push_back(sub->get_name());
    collect_commands(*sub, sub_path, model);
  }
}

// ---------------------------------------------------------------------------------------------
// Shared by the three writers.

std::string join(const std::vector<std::string>& words, std::string_view separator) {
  std::string out;
  for (const auto& w : words) {
    if (!out.empty()) out.append(separator);
    out.append(w);
  }
  return out;
}

std::string path_text(const CompletionCommand& command) { return join(command.path, " "); }

// "xtsync", "xtsync auth status".
std::string full_name(const std::string& program, const CompletionCommand& command) {
  std::string name = program;
  for (const auto& word : command.path) name.append(" ").append(word);
  return name;
}

// What the scripts put in a word list without quoting: command names, option names, choices.
void require_plain_word(const std::string& word, std::string_view what) {
  const bool plain = !word.empty() && std::all_of(word.begin(), word.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
           std::string_view("._+-:@/=,%").find(c) != std::string_view::npos;
  });
  if (!plain) {
    throw std::logic_error(fmt::format("cannot complete {} '{}': only letters, digits and ._+-:@/=,% are allowed",
                                       what, word));
  }
}

void check_model(const std::vector<CompletionCommand>& model) {
  for (const auto& command : model) {
    for (const auto& name : command.subcommands) require_plain_word(name, "command");
    for (const auto& option : command.options) {
      for (const auto& name : option.names) require_plain_word(name, "option");
      for (const auto& choice : option.value.choices) require_plain_word(choice, "value");
    }
    for (const auto& argument : command.arguments) {
      for (const auto& choice : argument.value.choices) require_plain_word(choice, "value");
    }
  }
}

// One line, for a description.
std::string one_line(std::string text) {
  std::replace(text.begin(), text.end(), '\n', ' ');
  std::replace(text.begin(), text.end(), '\t', ' ');
  return text;
}

// 'text' for sh-like shells (bash, zsh).
std::string sh_quote(std::string_view text) {
  std::string out = "'";
  for (const char c : text) {
    if (c == '\'') {
      out.append("'\\''");
    } else {
      out.push_back(c);
    }
  }
  out.push_back('\'');
  return out;
}

// The commands whose options `command` accepts too, nearest first (not `command` itself).
std::vector<std::size_t> ancestors_inherited(const std::vector<CompletionCommand>& model, std::size_t command) {
  std::vector<std::size_t> chain;
  std::size_t current = command;
  while (model[current].inherits) {
    const auto& path = model[current].path;
    const std::vector<std::string> parent_path(path.begin(), path.end() - 1);
    std::size_t parent = 0;
    while (model[parent].path != parent_path) ++parent;
    chain.push_back(parent);
    current = parent;
  }
  return chain;
}

bool shares_a_name(const CompletionOption& option, const std::vector<CompletionOption>& list) {
  for (const auto& other : list) {
    for (const auto& name : option.names) {
      if (std::find(other.names.begin(), other.names.end(), name) != other.names.end()) return true;
    }
  }
  return false;
}

// `command` defines a name that an option it gets from above has too (its own wins there).
bool redefines_inherited(const std::vector<CompletionCommand>& model, std::size_t command) {
  for (const std::size_t above : ancestors_inherited(model, command)) {
    for (const auto& option : model[above].options) {
      if (!option.local && shares_a_name(option, model[command].options)) return true;
    }
  }
  return false;
}

std::vector<std::string> value_option_names(const std::vector<CompletionOption>& options) {
  std::vector<std::string> names;
  for (const auto& option : options) {
    if (option.value.kind != CompletionKind::flag) names.insert(names.end(), option.names.begin(), option.names.end());
  }
  return names;
}

std::vector<std::string> all_option_names(const std::vector<CompletionOption>& options) {
  std::vector<std::string> names;
  for (const auto& option : options) names.insert(names.end(), option.names.begin(), option.names.end());
  return names;
}

std::string header_comment(std::string_view program, std::string_view shell, std::string_view file,
                           std::string_view install) {
  std::string out = fmt::format("# {} completion for {}.\n#\n", shell, program);
  out.append(fmt::format(
      "# Generated by `{0} completion {1}` from {0}'s own command-line definitions: do not edit.\n"
      "# Regenerate with `{0} completion {1} > completions/{2}`; tests/unit/test_cli_completion.cpp\n"
      "# fails while this file differs from what the program generates.\n#\n",
      program, shell, file));
  out.append(install);
  return out;
}

// ---------------------------------------------------------------------------------------------
// bash

// "choices a b c", "file" or "text": how _PROG_complete_value completes a value.
std::string bash_value_word(const CompletionValue& value) {
  switch (value.kind) {
    case CompletionKind::choices: return "choices " + join(value.choices, " ");
    case CompletionKind::file: return "file";
    case CompletionKind::flag:
    case CompletionKind::text:
    case CompletionKind::url: break;
  }
  return "text";
}

std::string bash_script(const std::vector<CompletionCommand>& model, const std::string& program) {
  const std::string fn = "_" + program;
  std::string out = header_comment(
      program, "bash", program + ".bash",
      fmt::format("# Install: {0} completion bash > /usr/share/bash-completion/completions/{0} (or\n"
                  "# /etc/bash_completion.d/{0}), or add `source <({0} completion bash)` to ~/.bashrc.\n"
                  "# Works with or without the bash-completion package.\n",
                  program));

  out.append(fmt::format(
      "\n# The subcommands of the command at path $1 (\"\" is {} itself, \"auth status\" a nested one),\n"
      "# in $reply.\n{}_subcommands() {{\n    case $1 in\n",
      program, fn));
  for (const auto& command : model) {
    if (command.subcommands.empty()) continue;
    out.append(fmt::format("        {}) reply={} ;;\n", sh_quote(path_text(command)), sh_quote(join(command.subcommands, " "))));
  }
  out.append("        *) reply= ;;\n    esac\n}\n");

  out.append(fmt::format(
      "\n# Every option of the command at path $1, its own and those of the commands above it, in $reply.\n"
      "{}_options() {{\n    case $1 in\n",
      fn));
  for (std::size_t i = 0; i < model.size(); ++i) {
    out.append(fmt::format("        {}) reply={} ;;\n", sh_quote(path_text(model[i])),
                           sh_quote(join(all_option_names(effective_options(model, i)), " "))));
  }
  out.append("        *) reply= ;;\n    esac\n}\n");

  out.append(fmt::format(
      "\n# How the value of option $2 of the command at path $1 completes, in $reply: \"choices WORD...\",\n"
      "# \"file\" or \"text\" (free text). Returns 1 when the option takes no value there. An option of\n"
      "# the command above is looked up there when the command accepts its options too.\n"
      "{}_option_value() {{\n    local path=$1\n    while :; do\n        case $path in\n",
      fn));
  // Commands with no value option of their own only send the lookup up: one branch per command above.
  std::vector<std::pair<std::string, std::vector<std::string>>> pass_up;
  for (std::size_t i = 0; i < model.size(); ++i) {
    const auto& command = model[i];
    // Options with the same completion share a branch, in the order they were defined.
    std::vector<std::pair<std::string, std::vector<std::string>>> groups;
    std::vector<std::string> own_flags;  // that redefine a name from above: no value there
    for (const auto& option : command.options) {
      if (option.value.kind == CompletionKind::flag) {
        const auto above = ancestors_inherited(model, i);
        const bool redefines = std::any_of(above.begin(), above.end(), [&](std::size_t a) {
          return std::any_of(model[a].options.begin(), model[a].options.end(), [&](const CompletionOption& other) {
            return !other.local && shares_a_name(other, {option});
          });
        });
        if (redefines) own_flags.insert(own_flags.end(), option.names.begin(), option.names.end());
        continue;
      }
      const std::string word = bash_value_word(option.value);
      auto it = std::find_if(groups.begin(), groups.end(), [&](const auto& g) { return g.first == word; });
      if (it == groups.end()) it = groups.insert(groups.end(), {word, {}});
      it->second.insert(it->second.end(), option.names.begin(), option.names.end());
    }
    const std::string parent =
        command.inherits ? join(std::vector<std::string>(command.path.begin(), command.path.end() - 1), " ") : "";
    if (groups.empty() && own_flags.empty()) {
      if (!command.inherits) continue;
      auto it = std::find_if(pass_up.begin(), pass_up.end(), [&](const auto& p) { return p.first == parent; });
      if (it == pass_up.end()) it = pass_up.insert(pass_up.end(), {parent, {}});
      it->second.push_back(sh_quote(path_text(command)));
      continue;
    }
    out.append(fmt::format("            {})\n                case $2 in\n", sh_quote(path_text(command))));
    for (const auto& [word, names] : groups) {
      out.append(fmt::format("                    {}) reply={}; return 0 ;;\n", join(names, " | "), sh_quote(word)));
    }
    if (!own_flags.empty()) out.append(fmt::format("                    {}) return 1 ;;\n", join(own_flags, " | ")));
    out.append("                esac\n");
    out.append(command.inherits ? fmt::format("                path={}\n", sh_quote(parent)) : "                return 1\n");
    out.append("                ;;\n");
  }
  for (const auto& [parent, paths] : pass_up) {
    out.append(fmt::format("            {}) path={} ;;\n", join(paths, " | "), sh_quote(parent)));
  }
  out.append("            *) return 1 ;;\n        esac\n    done\n}\n");

  out.append(fmt::format(
      "\n# How positional argument $2 (from 0) of the command at path $1 completes, in $reply as above.\n"
      "# Returns 1 when there is nothing to offer.\n"
      "{}_argument_value() {{\n    case $1 in\n",
      fn));
  for (const auto& command : model) {
    std::string branch;
    for (std::size_t a = 0; a < command.arguments.size(); ++a) {
      const auto& argument = command.arguments[a];
      if (argument.value.kind != CompletionKind::choices && argument.value.kind != CompletionKind::file) continue;
      branch.append(fmt::format("            (($2 {} {})) && reply={} && return 0\n", argument.repeats ? ">=" : "==", a,
                                sh_quote(bash_value_word(argument.value))));
    }
    if (branch.empty()) continue;
    out.append(fmt::format("        {})\n", sh_quote(path_text(command))));
    out.append(branch);
    out.append("            ;;\n");
  }
  out.append("    esac\n    return 1\n}\n");

  out.append(fmt::format(R"(
# Completes the value $1 as $reply says; $2 goes before each match ("--opt=").
{0}_complete_value() {{
    case $reply in
        choices\ *)
            mapfile -t COMPREPLY < <(compgen -W "${{reply#choices }}" -P "$2" -- "$1")
            ;;
        file)
            compopt -o filenames 2>/dev/null
            mapfile -t COMPREPLY < <(compgen -f -P "$2" -- "$1")
            ;;
    esac
    # text: free-form, nothing to offer.
}}

{0}() {{
    local cur=${{COMP_WORDS[COMP_CWORD]}} prev= reply
    ((COMP_CWORD > 0)) && prev=${{COMP_WORDS[COMP_CWORD - 1]}}
    COMPREPLY=()

    # The command being typed (its path) and how many positional arguments it has so far:
    # the words that are neither options, nor option values, nor subcommand names.
    local path= args=0 i word
    for ((i = 1; i < COMP_CWORD; i++)); do
        word=${{COMP_WORDS[i]}}
        case $word in
            --*=* | =) ;;
            -?*)
                if {0}_option_value "$path" "$word"; then
                    # bash may split "--opt=VALUE" into "--opt" "=" "VALUE".
                    if [[ ${{COMP_WORDS[i + 1]}} == = ]]; then
                        ((i += 2))
                    else
                        ((i++))
                    fi
                fi
                ;;
            *)
                {0}_subcommands "$path"
                if ((args == 0)) && [[ " $reply " == *" $word "* ]]; then
                    path=${{path:+$path }}$word
                else
                    args=$((args + 1))
                fi
                ;;
        esac
    done

    # An option's value: "--opt VALUE" or "--opt=VALUE". Whether bash splits the latter at "="
    # depends on COMP_WORDBREAKS, so handle both.
    local opt=$prev value=$cur prefix=
    if [[ $cur == --*=* ]]; then
        opt=${{cur%%=*}}
        value=${{cur#*=}}
        prefix=$opt=
    elif [[ $cur == = ]]; then
        value=
    elif [[ $prev == = ]] && ((COMP_CWORD >= 2)); then
        opt=${{COMP_WORDS[COMP_CWORD - 2]}}
    fi
    if [[ $opt == -?* ]] && {0}_option_value "$path" "$opt"; then
        {0}_complete_value "$value" "$prefix"
        return 0
    fi

    if [[ $cur == -* ]]; then
        {0}_options "$path"
        mapfile -t COMPREPLY < <(compgen -W "$reply" -- "$cur")
        return 0
    fi
    {0}_subcommands "$path"
    if [[ -n $reply ]] && ((args == 0)); then
        mapfile -t COMPREPLY < <(compgen -W "$reply" -- "$cur")
        return 0
    fi
    if {0}_argument_value "$path" "$args"; then
        {0}_complete_value "$cur" ""
    fi
    return 0
}}

complete -F {0} {1}
)",
                         fn, program));
  return out;
}

// ---------------------------------------------------------------------------------------------
// zsh

std::string zsh_function(const std::vector<CompletionCommand>& model, std::size_t command, const std::string& program) {
  std::string name = "_" + program;
  for (const auto& word : model[command].path) {
    name.push_back('_');
    for (const char c : word) name.push_back(std::isalnum(static_cast<unsigned char>(c)) ? c : '_');
  }
  return name;
}

// The command's part of $curcontext: "xtsync", "xtsync-auth".
std::string zsh_context(const std::string& program, const CompletionCommand& command) {
  std::string context = program;
  for (const auto& word : command.path) context.append("-").append(word);
  return context;
}

// The text of an _arguments description, in [...]: brackets and backslashes escaped.
std::string zsh_bracketed(const std::string& text) {
  std::string out;
  for (const char c : one_line(text)) {
    if (c == '[' || c == ']' || c == '\\') out.push_back('\\');
    out.push_back(c);
  }
  return out;
}

// A message in an _arguments spec or a _describe entry: colons escaped.
std::string zsh_message(const std::string& text) {
  std::string out;
  for (const char c : one_line(text)) {
    if (c == ':' || c == '\\') out.push_back('\\');
    out.push_back(c);
  }
  return out;
}

std::string zsh_action(const CompletionValue& value) {
  switch (value.kind) {
    case CompletionKind::choices: return "(" + join(value.choices, " ") + ")";
    case CompletionKind::file: return "_files";
    case CompletionKind::url: return "_urls";
    case CompletionKind::flag:
    case CompletionKind::text: break;
  }
  return "";
}

// One _arguments spec per name of the option, quoted.
std::vector<std::string> zsh_option_specs(const CompletionOption& option) {
  std::string exclusion;
  if (option.local) {
    exclusion = "(- *)";
  } else if (option.names.size() > 1) {
    exclusion = "(" + join(option.names, " ") + ")";
  }
  std::string message = option.names.back();
  message.erase(0, message.find_first_not_of('-'));
  std::vector<std::string> specs;
  for (const auto& name : option.names) {
    std::string spec = exclusion;
    spec.append(name);
    if (option.value.kind != CompletionKind::flag) spec.append(name.rfind("--", 0) == 0 ? "=" : "+");
    spec.append("[").append(zsh_bracketed(option.description)).append("]");
    if (option.value.kind != CompletionKind::flag) {
      spec.append(":").append(zsh_message(message)).append(":").append(zsh_action(option.value));
    }
    specs.push_back(sh_quote(spec));
  }
  return specs;
}

std::string zsh_script(const std::vector<CompletionCommand>& model, const std::string& program) {
  std::string out = "#compdef " + program + "\n";
  out.append(header_comment(
      program, "zsh", "_" + program,
      fmt::format("# Install: {0} completion zsh > DIR/_{0}, with DIR a directory on $fpath (e.g.\n"
                  "# /usr/share/zsh/site-functions, or one added to fpath in ~/.zshrc before compinit);\n"
                  "# then start a new shell.\n",
                  program)));

  // The options that commands below a command accept too: one function per command that has any.
  std::vector<bool> has_shared(model.size(), false);
  for (std::size_t i = 0; i < model.size(); ++i) {
    const auto& command = model[i];
    bool inherited_below = false;
    for (std::size_t j = 0; j < model.size(); ++j) {
      const auto chain = ancestors_inherited(model, j);
      if (std::find(chain.begin(), chain.end(), i) != chain.end()) inherited_below = true;
    }
    const bool any = std::any_of(command.options.begin(), command.options.end(),
                                 [](const CompletionOption& o) { return !o.local; });
    if (!inherited_below || !any) continue;
    has_shared[i] = true;
    out.append(fmt::format("\n# The options of `{}` that the commands below it accept too.\n{}_options() {{\n  reply=(\n",
                           full_name(program, command), zsh_function(model, i, program)));
    for (const auto& option : command.options) {
      if (option.local) continue;
      for (const auto& spec : zsh_option_specs(option)) out.append("    ").append(spec).append("\n");
    }
    out.append("  )\n}\n");
  }

  for (std::size_t i = 0; i < model.size(); ++i) {
    const auto& command = model[i];
    const std::string fn = zsh_function(model, i, program);
    const std::string name = full_name(program, command);

    if (!command.subcommands.empty()) {
      out.append(fmt::format("\n{}_commands() {{\n  local -a commands=(\n", fn));
      for (const auto& sub : command.subcommands) {
        auto child = std::find_if(model.begin(), model.end(), [&](const CompletionCommand& c) {
          return c.path.size() == command.path.size() + 1 && std::equal(command.path.begin(), command.path.end(), c.path.begin()) &&
                 c.path.back() == sub;
        });
        out.append("    ").append(sh_quote(zsh_message(sub) + ":" + one_line(child->description))).append("\n");
      }
      out.append(fmt::format("  )\n  _describe -t commands {} commands\n}}\n", sh_quote(name + " command")));
    }

    out.append(fmt::format("\n# {}\n{}() {{\n", name, fn));
    if (!command.subcommands.empty()) {
      out.append("  local curcontext=$curcontext state line ret=1\n  local -A opt_args\n");
    }
    // The options: its own, and those it gets from above through the shared functions, unless it
    // redefines one of their names (then they are written out here, without those).
    const auto chain = ancestors_inherited(model, i);
    const bool shadows = redefines_inherited(model, i);
    std::vector<std::string> specs;
    out.append("  local -a specs reply\n");
    if (!shadows) {
      std::vector<std::size_t> shared = {i};
      shared.insert(shared.end(), chain.begin(), chain.end());
      for (const std::size_t a : shared) {
        if (!has_shared[a]) continue;
        out.append(fmt::format("  {}_options; specs+=(\"${{reply[@]}}\")\n", zsh_function(model, a, program)));
      }
      for (const auto& option : command.options) {
        if (has_shared[i] && !option.local) continue;  // in its own _options
        for (auto& spec : zsh_option_specs(option)) specs.push_back(std::move(spec));
      }
    } else {
      for (const auto& option : effective_options(model, i)) {
        for (auto& spec : zsh_option_specs(option)) specs.push_back(std::move(spec));
      }
    }
    if (!command.subcommands.empty()) {
      specs.push_back(sh_quote("1: :" + fn + "_commands"));
      specs.push_back(sh_quote("*:: :->command"));
    } else {
      for (std::size_t a = 0; a < command.arguments.size(); ++a) {
        const auto& argument = command.arguments[a];
        const std::string position = argument.repeats ? "*" : std::to_string(a + 1);
        const std::string message = argument.description.empty() ? argument.name : argument.description;
        specs.push_back(sh_quote(position + ":" + zsh_message(message) + ":" + zsh_action(argument.value)));
      }
    }
    out.append(fmt::format("  _arguments{} -s \\\n    \"${{specs[@]}}\"", command.subcommands.empty() ? "" : " -C"));
    for (const auto& spec : specs) out.append(" \\\n    ").append(spec);
    if (command.subcommands.empty()) {
      out.append("\n}\n");
      continue;
    }
    out.append(" && ret=0\n");
    out.append(fmt::format("  if [[ $state == command ]]; then\n    curcontext=${{curcontext%:*:*}}:{}-$words[1]:\n"
                           "    case $words[1] in\n",
                           zsh_context(program, command)));
    for (std::size_t j = 0; j < model.size(); ++j) {
      const auto& child = model[j];
      if (child.path.size() != command.path.size() + 1 ||
          !std::equal(command.path.begin(), command.path.end(), child.path.begin()))
        continue;
      out.append(fmt::format("      {}) {} && ret=0 ;;\n", sh_quote(child.path.back()), zsh_function(model, j, program)));
    }
    out.append(fmt::format("      *) _message {} ;;\n    esac\n  fi\n  return ret\n}}\n",
                           sh_quote("unknown " + name + " command")));
  }
  out.append(fmt::format("\n_{} \"$@\"\n", program));
  return out;
}

// ---------------------------------------------------------------------------------------------
// fish

// 'text' for fish.
std::string fish_quote(std::string_view text) {
  std::string out = "'";
  for (const char c : one_line(std::string(text))) {
    if (c == '\'' || c == '\\') out.push_back('\\');
    out.push_back(c);
  }
  out.push_back('\'');
  return out;
}

// The paths as arguments of a condition: "" "auth status".
std::string fish_paths(const std::vector<std::string>& paths) {
  std::string out;
  for (const auto& path : paths) {
    if (!out.empty()) out.push_back(' ');
    out.append("\"").append(path).append("\"");
  }
  return out;
}

std::string fish_value_flags(const CompletionValue& value, const std::string& description) {
  std::string out;
  switch (value.kind) {
    case CompletionKind::flag: break;
    case CompletionKind::text:
    case CompletionKind::url: out = " -x"; break;
    case CompletionKind::file: out = " -r -F"; break;
    case CompletionKind::choices: out = " -x -a " + fish_quote(join(value.choices, " ")); break;
  }
  if (!description.empty()) out.append(" -d ").append(fish_quote(description));
  return out;
}

std::string fish_script(const std::vector<CompletionCommand>& model, const std::string& program) {
  const std::string fn = "__" + program;
  std::string out = header_comment(
      program, "fish", program + ".fish",
      fmt::format("# Install: {0} completion fish > ~/.config/fish/completions/{0}.fish, or into the vendor\n"
                  "# completions directory (pkg-config --variable completionsdir fish).\n",
                  program));

  out.append(fmt::format("\n# The subcommands of the command at path $argv[1] (\"\" is {} itself, \"auth status\" a nested one).\n"
                         "function {}_subcommands\n    switch \"$argv[1]\"\n",
                         program, fn));
  for (const auto& command : model) {
    if (command.subcommands.empty()) continue;
    out.append(fmt::format("        case {}\n            printf '%s\\n' {}\n", fish_quote(path_text(command)),
                           join(command.subcommands, " ")));
  }
  out.append("    end\nend\n");

  out.append(fmt::format("\n# The options of the command at path $argv[1] that take a value, its own and those from above.\n"
                         "function {}_value_options\n    switch \"$argv[1]\"\n",
                         fn));
  // A command that redefines a name from above lists all of them itself; the others list their
  // own and ask the command above. Those with none of their own share a branch per command above.
  std::vector<std::pair<std::string, std::vector<std::string>>> pass_up;
  for (std::size_t i = 0; i < model.size(); ++i) {
    const auto& command = model[i];
    const std::string parent =
        command.inherits ? join(std::vector<std::string>(command.path.begin(), command.path.end() - 1), " ") : "";
    const bool shadows = redefines_inherited(model, i);
    const auto names = value_option_names(shadows ? effective_options(model, i) : command.options);
    if (names.empty() && !command.inherits) continue;
    if (names.empty()) {
      auto it = std::find_if(pass_up.begin(), pass_up.end(), [&](const auto& p) { return p.first == parent; });
      if (it == pass_up.end()) it = pass_up.insert(pass_up.end(), {parent, {}});
      it->second.push_back(fish_quote(path_text(command)));
      continue;
    }
    out.append(fmt::format("        case {}\n            printf '%s\\n' {}\n", fish_quote(path_text(command)), join(names, " ")));
    if (command.inherits && !shadows) out.append(fmt::format("            {}_value_options {}\n", fn, fish_quote(parent)));
  }
  for (const auto& [parent, paths] : pass_up) {
    out.append(fmt::format("        case {}\n            {}_value_options {}\n", join(paths, " "), fn, fish_quote(parent)));
  }
  out.append("    end\nend\n");

  out.append(fmt::format(R"(
# The command line before the word being completed: how many positional arguments the command
# has so far, then the command's path. Options and their values are skipped.
function {0}_state
    set -l words (commandline -opc)
    set -e words[1]
    set -l path
    set -l args 0
    set -l skip 0
    for word in $words
        if test $skip = 1
            set skip 0
        else if string match -q -- '--*=*' $word
            # --option=VALUE
        else if string match -q -- '-?*' $word
            contains -- $word ({0}_value_options "$path") && set skip 1
        else if test $args = 0 && contains -- $word ({0}_subcommands "$path")
            set -a path $word
        else
            set args (math $args + 1)
        end
    end
    printf '%s\n' $args "$path"
end

# True when the command being typed is at one of the paths given.
function {0}_at
    set -l state ({0}_state)
    contains -- "$state[2]" $argv
end

# True when the command at path $argv[1] has $argv[2] positional arguments so far (or more, with
# a third argument "more").
function {0}_argument
    set -l state ({0}_state)
    test "$state[2]" = "$argv[1]" || return 1
    if set -q argv[3]
        test $state[1] -ge $argv[2]
    else
        test $state[1] -eq $argv[2]
    end
end

# No file names unless an option or argument takes one.
complete -c {1} -f
)",
                         fn, program));

  out.append("\n# Commands.\n");
  for (const auto& command : model) {
    if (command.subcommands.empty()) continue;
    for (const auto& sub : command.subcommands) {
      auto child = std::find_if(model.begin(), model.end(), [&](const CompletionCommand& c) {
        return c.path.size() == command.path.size() + 1 &&
               std::equal(command.path.begin(), command.path.end(), c.path.begin()) && c.path.back() == sub;
      });
      out.append(fmt::format("complete -c {} -n {} -a {} -d {}\n", program,
                             fish_quote(fmt::format("{}_argument {} 0", fn, fish_paths({path_text(command)}))), sub,
                             fish_quote(child->description)));
    }
  }

  // Options: one line for an option that is the same at several paths (e.g. the global ones),
  // with no condition when it is the same everywhere.
  struct Entry {
    CompletionOption option;
    std::vector<std::string> paths;
  };
  std::vector<Entry> entries;
  for (std::size_t i = 0; i < model.size(); ++i) {
    for (auto& option : effective_options(model, i)) {
      auto it = std::find_if(entries.begin(), entries.end(), [&](const Entry& e) { return e.option == option; });
      if (it == entries.end()) it = entries.insert(entries.end(), Entry{std::move(option), {}});
      it->paths.push_back(path_text(model[i]));
    }
  }
  out.append("\n# Options.\n");
  for (const auto& entry : entries) {
    std::string line = "complete -c " + program;
    if (entry.paths.size() != model.size()) {
      line.append(" -n ").append(fish_quote(fmt::format("{}_at {}", fn, fish_paths(entry.paths))));
    }
    for (const auto& name : entry.option.names) {
      line.append(name.rfind("--", 0) == 0 ? " -l " + name.substr(2) : " -s " + name.substr(1));
    }
    line.append(fish_value_flags(entry.option.value, entry.option.description));
    out.append(line).append("\n");
  }

  std::string arguments;
  for (const auto& command : model) {
    for (std::size_t a = 0; a < command.arguments.size(); ++a) {
      const auto& argument = command.arguments[a];
      const auto kind = argument.value.kind;
      if (kind != CompletionKind::choices && kind != CompletionKind::file) continue;
      arguments.append(fmt::format(
          "complete -c {} -n {}{}{}\n", program,
          fish_quote(fmt::format("{}_argument {} {}{}", fn, fish_paths({path_text(command)}), a, argument.repeats ? " more" : "")),
          kind == CompletionKind::file ? " -F" : " -a " + fish_quote(join(argument.value.choices, " ")),
          argument.description.empty() ? "" : " -d " + fish_quote(argument.description)));
    }
  }
  if (!arguments.empty()) out.append("\n# Arguments.\n").append(arguments);
  return out;
}

}  // namespace
}  // namespace completion_writer

std::vector<CompletionCommand> completion_model(CLI::App& app) {
  std::vector<CompletionCommand> model;
  completion_writer::collect_commands(app, {}, model);
  return model;
}

std::vector<CompletionOption> effective_options(const std::vector<CompletionCommand>& model, std::size_t command) {
  std::vector<CompletionOption> options = model[command].options;
  for (const std::size_t above : completion_writer::ancestors_inherited(model, command)) {
    for (CompletionOption option : model[above].options) {
      if (option.local) continue;
      // A name defined below is the one that applies there.
      std::erase_if(option.names, [&](const std::string& name) {
        return std::any_of(options.begin(), options.end(), [&](const CompletionOption& o) {
          return std::find(o.names.begin(), o.names.end(), name) != o.names.end();
        });
      });
      if (!option.names.empty()) options.push_back(std::move(option));
    }
  }
  return options;
}

const std::vector<std::string>& completion_shells() {
  static const std::vector<std::string> shells = {"bash", "zsh", "fish"};
  return shells;
}

std::string completion_script(CLI::App& app, std::string_view shell) {
  const auto model = completion_model(app);
  completion_writer::check_model(model);
  const std::string& program = app.get_name();
  completion_writer::require_plain_word(program, "program");
  if (shell == "bash") return completion_writer::bash_script(model, program);
  if (shell == "zsh") return completion_writer::zsh_script(model, program);
  if (shell == "fish") return completion_writer::fish_script(model, program);
  throw std::invalid_argument(fmt::format("no completion script for shell '{}'", shell));
}

Command setup_completion(CLI::App& app) {
  auto* sub = app.add_subcommand("completion", "Print the shell completion script for bash, zsh or fish");
  auto shell = std::make_shared<std::string>();
  sub->add_option("shell", *shell, "The shell: bash, zsh or fish")->required()->check(CLI::IsMember(completion_shells()));
  sub->footer(
      "Install the script where the shell looks for it, e.g.\n"
      "  xtsync completion bash > /etc/bash_completion.d/xtsync\n"
      "  xtsync completion zsh > \"${fpath[1]}/_xtsync\"\n"
      "  xtsync completion fish > ~/.config/fish/completions/xtsync.fish");
  // The whole tree, this command included; read when the command runs, after every command is set up.
  CLI::App* root = &app;
  return {sub, [root, shell](Runtime& rt) { rt.data(completion_script(*root, *shell)); }};
}

}  // namespace xtsync::cli
