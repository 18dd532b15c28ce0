// Keeping secrets out of everything xtsync prints. Every secret the process holds (tokens,
// client secrets, refresh tokens, assertions, the identity header, proxy passwords) is
// registered here once it is read or received; the CLI's output streams pass through
// redact_secrets(), so a server, gateway or proxy that echoes one back cannot make it appear.
#pragma once

#include <ostream>
#include <streambuf>
#include <string>
#include <string_view>

namespace xtsync::util {

inline constexpr std::string_view k_redacted = "[REDACTED]";

// Remembers `secret` and its base64, base64url and percent-encoded forms for redaction.
// Values shorter than 8 characters are ignored: they would redact ordinary words.
void register_secret(std::string_view secret);
// Forgets every registered secret (tests).
void clear_secrets();

// Whether `text` holds any registered secret in any of its forms.
bool contains_secret(std::string_view text);
// `text` with every registered secret, in any of its forms, replaced by [REDACTED].
std::string redact_secrets(std::string_view text);

// Anything shaped like a JWT ("eyJ" followed by base64url and dots) replaced by [redacted]:
// for text from someone else (an error description, a debug body), where a token we never
// held may still appear.
std::string redact_jwts(std::string_view text);

// An output stream's buffer that redacts registered secrets from everything written through
// it, line by line (a secret cannot straddle two writes of one line), before passing it on.
class RedactingStreambuf final : public std::streambuf {
 public:
  explicit RedactingStreambuf(std::ostream& target) : target_(target) {}
  ~RedactingStreambuf() override { sync(); }

 protected:
  int_type overflow(int_type ch) override;
  std::streamsize xsputn(const char* s, std::streamsize n) override;
  int sync() override;

 private:
  // Passes on every complete line (and, for a huge line, all but a tail longer than any secret).
  bool emit_lines();
  bool emit(std::string_view text);

  std::ostream& target_;
  std::string pending_;
};

}  // namespace xtsync::util
