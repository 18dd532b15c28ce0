#include "emulator/log_redaction.hpp"

#include "emulator/identity_form.hpp"
#include "util/secrets.hpp"
#include "util/strings.hpp"

namespace xtsync::emulator {

bool is_secret_parameter(std::string_view name) {
  return util::is_secret_field(name, util::FieldContext::form) ||
         util::to_lower(name).find("assertion") != std::string::npos;
}

std::string redact_target(std::string_view target) {
  const auto question = target.find('?');
  if (question == std::string_view::npos) return std::string(target);
  std::string out(target.substr(0, question + 1));
  std::string_view query = target.substr(question + 1);
  bool first = true;
  while (true) {
    const auto amp = query.find('&');
    const std::string_view pair = query.substr(0, amp);
    if (!first) out += '&';
    first = false;
    const auto eq = pair.find('=');
    // The name is judged decoded, so access%5Ftoken is caught too.
    if (eq != std::string_view::npos && is_secret_parameter(form_decode(pair.substr(0, eq)))) {
      out.append(pair.substr(0, eq + 1));
      out += "REDACTED";
    } else {
      out.append(pair);
    }
    if (amp == std::string_view::npos) break;
    query.remove_prefix(amp + 1);
  }
  return out;
}

}  // namespace xtsync::emulator
