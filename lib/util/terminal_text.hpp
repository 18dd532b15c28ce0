// Text from servers and files made safe to print: control characters could retitle or clear
// the terminal (OSC 0, ESC[2J) or forge table rows (a newline in a display name). kubectl
// treated this class as CVE-2021-25743.
#pragma once

#include <string>
#include <string_view>

namespace xtsync::util {

enum class ControlEscape {
  message,  // C0 (but tab), DEL and C1 controls become \xNN / \u0080..; newlines are escaped too
  cell,     // the same plus tab: one table or TSV cell stays on one line and in one column
};

// Whether escape_controls would change anything (a cheap scan, so clean text is not copied).
bool needs_escape(std::string_view text, ControlEscape mode = ControlEscape::message);

// Escapes control characters and bytes that are not UTF-8; everything else is kept as is.
std::string escape_controls(std::string_view text, ControlEscape mode = ControlEscape::message);

}  // namespace xtsync::util
