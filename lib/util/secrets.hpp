// Which named values are credentials: the one rule --debug redaction and error redaction share.
#pragma once

#include <string_view>

namespace xtsync::util {

enum class FieldContext {
  json,  // a JSON key: "code" is Graph's error code, which users need to see
  form,  // a form field or query parameter: "code" is an authorization code
};

// client_secret, refresh_token, access_token, client_assertion, device_code, password, …
bool is_secret_field(std::string_view name, FieldContext context);

// Authorization, Cookie, X-IDENTITY-HEADER, anything named like a token, secret or API key.
bool is_secret_header(std::string_view name);

}  // namespace xtsync::util
