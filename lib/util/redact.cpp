#include "util/redact.hpp"

#include <algorithm>
#include <mutex>
#include <set>
#include <vector>

#include "util/base64.hpp"
#include "util/strings.hpp"

namespace xtsync::util {

namespace {

constexpr std::size_t k_min_secret = 8;

bool is_base64url_char(char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_';
}

struct Registry {
  std::mutex mutex;
  // Longest first, so a secret is replaced whole before any shorter one inside it.
  std::vector<std::string> forms;
};

Registry& registry() {
  static Registry r;
  return r;
}

void replace_all(std::string& text, const std::string& needle) {
  for (auto at = text.find(needle); at != std::string::npos; at = text.find(needle, at + k_redacted.size())) {
    text.replace(at, needle.size(), k_redacted);
  }
}

}  // namespace

void register_secret(std::string_view secret) {
  if (secret.size() < k_min_secret) return;
  auto& r = registry();
  std::lock_guard lock(r.mutex);
  for (std::string form : {std::string(secret), base64_encode(secret), base64url_encode(secret),
                           percent_encode(secret)}) {
    if (std::find(r.forms.begin(), r.forms.end(), form) == r.forms.end()) r.forms.push_back(std::move(form));
  }
  // Lower-case hex digits in percent-encoding are as valid as upper-case ones.
  std::string lower = percent_encode(secret);
  for (std::size_t i = 0; i + 2 < lower.size(); ++i) {
    if (lower[i] == '%') {
      for (std::size_t k = 1; k <= 2; ++k) lower[i + k] = static_cast<char>(std::tolower(lower[i + k]));
    }
  }
  if (std::find(r.forms.begin(), r.forms.end(), lower) == r.forms.end()) r.forms.push_back(std::move(lower));
  std::stable_sort(r.forms.begin(), r.forms.end(), [](const auto& a, const auto& b) { return a.size() > b.size(); });
}

void clear_secrets() {
  auto& r = registry();
  std::lock_guard lock(r.mutex);
  r.forms.clear();
}

bool contains_secret(std::string_view text) {
  auto& r = registry();
  std::lock_guard lock(r.mutex);
  for (const auto& form : r.forms) {
    if (text.find(form) != std::string_view::npos) return true;
  }
  return false;
}

std::string redact_secrets(std::string_view text) {
  std::string out(text);
  auto& r = registry();
  std::lock_guard lock(r.mutex);
  for (const auto& form : r.forms) replace_all(out, form);
  return out;
}

std::string redact_jwts(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  std::size_t i = 0;
  while (i < text.size()) {
    if (text.substr(i, 3) == "eyJ") {
      std::size_t end = i + 3;
      while (end < text.size() && (is_base64url_char(text[end]) || text[end] == '.')) ++end;
      out += "[redacted]";
      i = end;
    } else {
      out += text[i++];
    }
  }
  return out;
}

RedactingStreambuf::int_type RedactingStreambuf::overflow(int_type ch) {
  if (traits_type::eq_int_type(ch, traits_type::eof())) return traits_type::not_eof(ch);
  pending_ += traits_type::to_char_type(ch);
  if (ch == '\n' && !emit_lines()) return traits_type::eof();
  return ch;
}

std::streamsize RedactingStreambuf::xsputn(const char* s, std::streamsize n) {
  const std::string_view text(s, static_cast<std::size_t>(n));
  const auto newline = text.rfind('\n');
  if (pending_.empty() && newline != std::string_view::npos) {
    // Whole lines straight from the caller's buffer; only the unfinished rest is kept.
    if (!emit(text.substr(0, newline + 1))) return 0;
    pending_.assign(text.substr(newline + 1));
    return n;
  }
  pending_.append(text);
  if (!emit_lines()) return 0;
  return n;
}

int RedactingStreambuf::sync() {
  const bool ok = emit(pending_);
  pending_.clear();
  target_.flush();
  return ok && target_ ? 0 : -1;
}

bool RedactingStreambuf::emit_lines() {
  constexpr std::size_t k_huge_line = 1024 * 1024;
  constexpr std::size_t k_tail = 64 * 1024;  // longer than any registered form
  std::size_t cut = pending_.rfind('\n');
  cut = cut == std::string::npos ? 0 : cut + 1;
  if (cut == 0 && pending_.size() > k_huge_line) {
    // Redacted whole first: a secret that reaches into the kept tail starts inside it.
    pending_ = redact_secrets(pending_);
    cut = pending_.size() - k_tail;
  }
  if (cut == 0) return true;
  const bool ok = emit(std::string_view(pending_).substr(0, cut));
  pending_.erase(0, cut);
  return ok;
}

bool RedactingStreambuf::emit(std::string_view text) {
  if (text.empty()) return true;
  if (contains_secret(text)) {
    const std::string clean = redact_secrets(text);
    target_.write(clean.data(), static_cast<std::streamsize>(clean.size()));
  } else {
    target_.write(text.data(), static_cast<std::streamsize>(text.size()));  // the common case: no copy
  }
  return static_cast<bool>(target_);
}

}  // namespace xtsync::util
