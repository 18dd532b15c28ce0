#include "emulator/identity_form.hpp"

namespace xtsync::emulator {

namespace {

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

std::string_view without_authority(std::string_view target) noexcept {
  for (const std::string_view scheme : {"http://", "https://"}) {
    if (target.starts_with(scheme)) {
      const auto slash = target.find('/', scheme.size());
      return slash == std::string_view::npos ? std::string_view("/") : target.substr(slash);
    }
  }
  return target;
}

}  // namespace

std::optional<std::string> FormFields::get(std::string_view name) const {
  for (const auto& [key, val] : items) {
    if (key == name) return val;
  }
  return std::nullopt;
}

std::string form_decode(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (c == '+') {
      out += ' ';
    } else if (c == '%' && i + 2 < text.size() && hex_value(text[i + 1]) >= 0 && hex_value(text[i + 2]) >= 0) {
      out += static_cast<char>(hex_value(text[i + 1]) * 16 + hex_value(text[i + 2]));
      i += 2;
    } else {
      out += c;
    }
  }
  return out;
}

FormFields parse_form(std::string_view text) {
  FormFields fields;
  while (!text.empty()) {
    const auto amp = text.find('&');
    const std::string_view pair = text.substr(0, amp);
    text = amp == std::string_view::npos ? std::string_view() : text.substr(amp + 1);
    if (pair.empty()) continue;
    const auto eq = pair.find('=');
    fields.items.emplace_back(form_decode(pair.substr(0, eq)),
                              eq == std::string_view::npos ? std::string() : form_decode(pair.substr(eq + 1)));
  }
  return fields;
}

std::string_view target_path(std::string_view target) noexcept {
  const std::string_view rest = without_authority(target);
  return rest.substr(0, rest.find('?'));
}

std::string_view target_query(std::string_view target) noexcept {
  const std::string_view rest = without_authority(target);
  const auto q = rest.find('?');
  return q == std::string_view::npos ? std::string_view() : rest.substr(q + 1);
}

}  // namespace xtsync::emulator
