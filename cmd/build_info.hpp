// What this binary is: version, the commit it was built from, its licence. The commit lives in
// a generated file of its own (build_info.cpp.in), so a new commit recompiles one small file.
#pragma once

#include <string>
#include <string_view>

namespace xtsync::cli {

// "0abc1234def5" (12 hex digits, "-dirty" when the tree had changes at configure time), or
// empty when not built from a git checkout.
std::string_view build_commit();

// "xtsync 0.2.0 (commit 0abc1234def5)", or "xtsync 0.2.0" without a commit: what --version prints.
std::string version_line();

// `xtsync version`: the line above, then the licence and where the project lives.
std::string version_details();

}  // namespace xtsync::cli
