// The scripts of `xtsync completion SHELL`, loaded into the real bash, zsh and fish, asked to
// complete command lines the way a person presses Tab. A shell that is not installed is skipped
// with a message (scripts/test.sh installs all three).
#include <doctest/doctest.h>

#include <unistd.h>

#include <algorithm>
#include <map>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "support/process.hpp"

using namespace xtsync::testing;

namespace {

std::string script_for(const std::string& shell, const TempDir& dir) {
  ProcessOptions options;
  options.args = {"completion", shell};
  const auto r = run_process(XTSYNC_BIN, options);
  INFO("xtsync completion " << shell << ": " << r.err);
  REQUIRE(r.exit_code == 0);
  return dir.write("xtsync-completion." + shell, r.out);
}

std::set<std::string> words_of(const std::string& text) {
  std::set<std::string> words;
  std::istringstream in(text);
  for (std::string w; in >> w;) words.insert(w);
  return words;
}

// The drivers print one "LINE|MATCH MATCH ..." line per command line asked about.
std::map<std::string, std::set<std::string>> parse_answers(const std::string& out) {
  std::map<std::string, std::set<std::string>> answers;
  std::istringstream in(out);
  for (std::string line; std::getline(in, line);) {
    const auto bar = line.find('|');
    if (bar == std::string::npos) continue;
    answers[line.substr(0, bar)] = words_of(line.substr(bar + 1));
  }
  return answers;
}

std::string listed(const std::set<std::string>& words) {
  std::string text;
  for (const auto& w : words) text.append(text.empty() ? "" : " ").append(w);
  return text.empty() ? "(nothing)" : text;
}

struct Case {
  std::string line;               // what was typed; a trailing space starts a new, empty word
  std::set<std::string> matches;  // what Tab must offer, exactly
};

// What every shell must offer. `dir` holds partners.yaml, partners.json and notes.txt.
std::vector<Case> common_cases(const std::string& dir) {
  return {
      {"xtsync li", {"list", "list-deleted"}},                          // a command prefix
      {"xtsync set X --user", {"--user-sync"}},                         // a command's own flag
      {"xtsync set X --user-sync ", {"allow", "block"}},                // its values
      {"xtsync get X -o ", {"table", "json", "tsv"}},                   // a global option after the command
      {"xtsync --cloud ", {"global", "usgov", "usgov-dod", "china"}},   // before it
      {"xtsync get X --deleted --api-version ", {"beta", "v1.0"}},
      {"xtsync auth ", {"status"}},                                     // a nested command
      {"xtsync -o json auth st", {"status"}},                           // an option's value is no command
      {"xtsync auth status --no-c", {"--no-color"}},                    // global options two levels down
      {"xtsync completion ", {"bash", "zsh", "fish"}},                  // a positional with choices
      {"xtsync apply -f " + dir + "/partners.", {dir + "/partners.json", dir + "/partners.yaml"}},  // file names
      {"xtsync --ca-file " + dir + "/no", {dir + "/notes.txt"}},
      {"xtsync lo", {"login", "logout"}},
      {"xtsync logout --a", {"--all", "--access-token-file", "--api-version", "--auth", "--authority-url"}},
  };
}

void check_answers(const std::string& shell, const std::vector<Case>& cases, const ProcessResult& r) {
  INFO(shell << " stderr: " << r.err);
  INFO(shell << " stdout: " << r.out);
  REQUIRE(r.exit_code == 0);
  const auto answers = parse_answers(r.out);
  for (const auto& c : cases) {
    CAPTURE(c.line);
    const auto it = answers.find(c.line);
    REQUIRE_MESSAGE(it != answers.end(), shell << " gave no answer for '" << c.line << "'");
    CHECK_MESSAGE(it->second == c.matches, "offered: " << listed(it->second) << "\nexpected: " << listed(c.matches));
  }
}

std::vector<std::string> lines_of(const std::vector<Case>& cases) {
  std::vector<std::string> lines;
  for (const auto& c : cases) lines.push_back(c.line);
  return lines;
}

TempDir& files_dir() {
  static TempDir dir;
  static const bool written = [] {
    dir.write("partners.yaml", "version: 1\npartners: []\n");
    dir.write("partners.json", "{\"version\": 1, \"partners\": []}\n");
    dir.write("notes.txt", "");
    return true;
  }();
  (void)written;
  return dir;
}

// Sets COMP_WORDS/COMP_CWORD as bash does for a line (split at spaces; bash-completion's
// COMP_WORDBREAKS splitting at "=" is a case of its own), calls the function that
// `complete -p xtsync` names, prints COMPREPLY.
const char* const kBashDriver = R"script(
completion_package=$1 script=$2
shift 2
if [[ $completion_package == yes ]]; then
    source /usr/share/bash-completion/bash_completion || exit 3
fi
source "$script" || exit 4
spec=$(complete -p xtsync) || exit 5
[[ $spec == *' -F '* ]] || exit 6
function=${spec#* -F }
function=${function%% *}
for line in "$@"; do
    read -ra COMP_WORDS <<<"$line"
    [[ $line == *' ' ]] && COMP_WORDS+=('')
    COMP_CWORD=$((${#COMP_WORDS[@]} - 1))
    COMP_LINE=$line
    COMP_POINT=${#line}
    COMPREPLY=()
    "$function" xtsync "${COMP_WORDS[COMP_CWORD]}" "${COMP_WORDS[COMP_CWORD - 1]}"
    printf '%s|%s\n' "$line" "${COMPREPLY[*]}"
done
)script";

// zsh completes only inside its line editor, which needs a terminal: this driver starts an
// interactive `zsh -f` on a pseudo-terminal (zsh's own zpty module), loads compinit with the
// script's directory on $fpath, types each line and Tab once the line editor is ready, and writes
// down every match that the completion functions add (compadd, wrapped). Ctrl-E Ctrl-U then
// clears the line.
const char* const kZshInner = R"script(
PS1='' PROMPT='' RPROMPT=''
unsetopt beep
fpath=($ZT_FPATH $fpath)
autoload -Uz compinit && compinit -u -D
zstyle ':completion:*' menu no
compadd() {
  # -O, -A and -D only ask for matches: the completion system's own bookkeeping.
  if [[ ${@[1,(i)(-|--)]} == *-(O|A|D)\ * ]]; then
    builtin compadd "$@"
    return
  fi
  local -a zt_matches
  builtin compadd -O zt_matches "$@"
  (( ${#zt_matches} )) && print -rl -- $zt_matches >> $ZT_OUT
  builtin compadd "$@"
}
bindkey '^I' complete-word
# Marks the moment the line editor is ready for keys: typed earlier, they would reach the
# terminal in cooked mode, where Tab is no key binding but a character.
zle-line-init() { print -rn -- ZT-EDITING }
zle -N zle-line-init
print -r -- READY-$((6*7))
)script";

const char* const kZshDriver = R"script(
zmodload zsh/zpty || exit 3
export ZT_FPATH=$1 ZT_OUT=$2
inner=$3
shift 3
zpty -b zt 'zsh -f -i' || exit 4
zpty -w zt "source ${(q)inner}"
zpty -r zt screen '*READY-42*ZT-EDITING*' || exit 5
all=$screen
for line in "$@"; do
  : >| $ZT_OUT
  zpty -w -n zt "$line"$'\t'
  zpty -w zt $'\C-e\C-u'"print -r -- DONE-\$((6*7))"
  zpty -r zt screen '*DONE-42*ZT-EDITING*' || exit 6
  all+=$screen
  print -r -- "$line|${(j: :)${(f)"$(<$ZT_OUT)"}}"
done
zpty -d zt
print -r -- $all >&2
)script";

const char* const kFishDriver = R"script(
source $argv[1]; or exit 3
for line in $argv[2..-1]
    set -l matches (complete -C"$line" | string replace -r '\t.*' '')
    printf '%s|%s\n' $line (string join ' ' -- $matches)
end
)script";

}  // namespace

TEST_SUITE_BEGIN("integration");

TEST_CASE("completion: bash completes commands, options, values and files") {
  const std::string bash = find_program("bash");
  if (bash.empty()) {
    MESSAGE("bash is not installed: skipped");
    return;
  }
  TempDir dir;
  const std::string script = script_for("bash", dir);
  const std::string driver = dir.write("driver.bash", kBashDriver);
  auto cases = common_cases(files_dir().path());
  cases.push_back({"xtsync --cloud=us", {"--cloud=usgov", "--cloud=usgov-dod"}});  // "=" not a word break
  cases.push_back({"xtsync --cloud = us", {"usgov", "usgov-dod"}});                // "=" a word break
  cases.push_back({"xtsync get X ", {}});                                          // TENANT: nothing to offer
  cases.push_back({"xtsync get X --tenant ", {}});                                 // free text
  cases.push_back({"xtsync list-deleted --ver", {}});                              // --version: the program's only

  // With bash-completion, as most systems have it, and without, as the script promises.
  const bool have_package = ::access("/usr/share/bash-completion/bash_completion", R_OK) == 0;
  if (!have_package) MESSAGE("bash-completion is not installed: bash tested without it only");
  for (const std::string package : {"yes", "no"}) {
    if (package == "yes" && !have_package) continue;
    CAPTURE(package);
    ProcessOptions options;
    options.args = {"--norc", "--noprofile", driver, package, script};
    const auto lines = lines_of(cases);
    options.args.insert(options.args.end(), lines.begin(), lines.end());
    check_answers("bash", cases, run_process(bash, options));
  }
}

TEST_CASE("completion: zsh completes commands, options, values and files") {
  const std::string zsh = find_program("zsh");
  if (zsh.empty()) {
    MESSAGE("zsh is not installed: skipped");
    return;
  }
  TempDir dir;
  // compinit finds the function by its file name, _xtsync, in a directory on $fpath.
  const TempDir functions;
  {
    ProcessOptions options;
    options.args = {"completion", "zsh"};
    const auto r = run_process(XTSYNC_BIN, options);
    REQUIRE(r.exit_code == 0);
    functions.write("_xtsync", r.out);
  }
  {
    ProcessOptions syntax;
    syntax.args = {"-n", functions.file("_xtsync")};
    const auto checked = run_process(zsh, syntax);
    INFO("zsh -n: " << checked.err);
    CHECK(checked.exit_code == 0);
  }

  auto cases = common_cases(files_dir().path());
  // zsh lists the file names themselves, without the directory typed before them.
  for (auto& c : cases) {
    if (c.line.find(files_dir().path()) == std::string::npos) continue;
    std::set<std::string> names;
    for (const auto& m : c.matches) names.insert(m.substr(files_dir().path().size() + 1));
    c.matches = names;
  }
  cases.push_back({"xtsync --cloud=us", {"usgov", "usgov-dod"}});
  cases.push_back({"xtsync list-deleted --ver", {}});
  cases.push_back({"xtsync --ver", {"--version"}});

  const std::string inner = dir.write("inner.zsh", kZshInner);
  const std::string driver = dir.write("driver.zsh", kZshDriver);
  ProcessOptions options;
  options.args = {"-f", driver, functions.path(), dir.file("matches"), inner};
  const auto lines = lines_of(cases);
  options.args.insert(options.args.end(), lines.begin(), lines.end());
  options.env["TERM"] = "dumb";
  options.timeout_seconds = 60;
  const auto r = run_process(zsh, options);
  if (r.exit_code == 3) {
    MESSAGE("zsh has no zpty module: only its syntax check ran");
    return;
  }
  check_answers("zsh", cases, r);
  // A spec _arguments cannot parse shows up on the terminal, not as a missing match.
  CHECK(r.err.find("_arguments") == std::string::npos);
  CHECK(r.err.find("command not found") == std::string::npos);
}

TEST_CASE("completion: fish completes commands, options, values and files") {
  const std::string fish = find_program("fish");
  if (fish.empty()) {
    MESSAGE("fish is not installed: skipped");
    return;
  }
  TempDir dir;
  const std::string script = script_for("fish", dir);
  const std::string driver = dir.write("driver.fish", kFishDriver);
  auto cases = common_cases(files_dir().path());
  cases.push_back({"xtsync --cloud=us", {"--cloud=usgov", "--cloud=usgov-dod"}});
  cases.push_back({"xtsync get X ", {}});
  cases.push_back({"xtsync list-deleted --ver", {}});
  cases.push_back({"xtsync --ver", {"--version"}});
  cases.push_back({"xtsync auth status ", {}});

  ProcessOptions options;
  options.args = {"--no-config", driver, script};
  const auto lines = lines_of(cases);
  options.args.insert(options.args.end(), lines.begin(), lines.end());
  // fish keeps data under these; nothing of the user's is read or written.
  options.env["HOME"] = dir.path();
  options.env["XDG_CONFIG_HOME"] = dir.file("config");
  options.env["XDG_DATA_HOME"] = dir.file("data");
  check_answers("fish", cases, run_process(fish, options));
}

TEST_SUITE_END();
