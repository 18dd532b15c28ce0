// Private to the apply file parser: text to one yaml-cpp document, and the error messages that
// name the file and line. Only apply_file*.cpp include this (yaml-cpp is linked PRIVATE).
#pragma once

#include <yaml-cpp/depthguard.h>
#include <yaml-cpp/yaml.h>

#include <string>
#include <string_view>

namespace xtsync::api::apply_file_detail {

// "FILE:LINE: key 'x': why"; line 0 leaves the line out, an empty key the key part.
[[noreturn]] void fail(const std::string& file_label, int line, std::string_view key, const std::string& why);

// The one document of a YAML or JSON text, or Error(usage): not UTF-8-ish text (NUL bytes,
// UTF-16), a syntax error (yaml-cpp's message and mark), no document, more than one.
YAML::Node load_document(std::string_view text, const std::string& file_label);

// 1-based line of a node; 0 when yaml-cpp has no mark for it.
int line_of(const YAML::Node& node);

// A value as a message shows it: control characters escaped, long text cut.
std::string shown(std::string_view text);

}  // namespace xtsync::api::apply_file_detail
