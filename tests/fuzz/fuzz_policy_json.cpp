// Graph-model deserializers fed through Boost.JSON (reliability.md §9 E, item 46):
//   bytes → json::parse → value_to<Policy> → value_from → serialize → parse → value_to<Policy>,
// which must give back an equal Policy; plus the error-body parser and `set --from-file`'s merge.
// Expected failures (invalid JSON, std::invalid_argument on wrong types, xtsync::Error from
// desired_policy) are swallowed; anything else escaping, a round-trip mismatch, or a sanitizer
// report is a finding.
//
// Findings so far:
//  * regressions/fuzz_policy_json/nonfinite-double-roundtrip.json: 1e400 parses as infinity and
//    used to be written back as `Infinity` (not JSON). Fixed: the model now refuses it.
//  * A long number (e.g. 123450000000000000001244854946) parses to a double that prints back as a
//    different number. Boost.JSON 1.81 has no exact-number mode (it came in 1.83), so documents
//    holding such a finite-but-unstable double are skipped below; a known limitation.
#include <boost/json.hpp>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cmath>
#include <cstdlib>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>

#include "error.hpp"
#include "graph/graph_error.hpp"
#include "graph/policy.hpp"
#include "graph/set_plan.hpp"
#include "util/json_numbers.hpp"
#include "util/terminal_text.hpp"

namespace json = boost::json;
using namespace xtsync;

namespace {

const std::string kTenant = "9c5d131d-b1c3-4fc4-9e3f-c6557947d551";

[[noreturn]] void fail(const char* what, const std::string& detail) {
  std::fprintf(stderr, "fuzz_policy_json: %s\n%s\n", what, detail.c_str());
  std::abort();
}

// A double Boost.JSON cannot write and read back as itself.
bool has_unstable_double(const json::value& jv) {
  switch (jv.kind()) {
    case json::kind::double_: {
      const double d = jv.get_double();
      if (!std::isfinite(d)) return true;
      boost::system::error_code ec;
      const json::value back = json::parse(json::serialize(jv), ec);
      return ec || !back.is_double() || back.get_double() != d;
    }
    case json::kind::array:
      for (const auto& v : jv.get_array()) {
        if (has_unstable_double(v)) return true;
      }
      return false;
    case json::kind::object:
      for (const auto& [key, v] : jv.get_object()) {
        if (has_unstable_double(v)) return true;
      }
      return false;
    default: return false;
  }
}

void round_trip(const json::value& jv) {
  graph::Policy p;
  try {
    p = json::value_to<graph::Policy>(jv);
  } catch (const std::invalid_argument&) {
    return;  // wrong type or a non-finite number: the documented rejection
  }
  if (has_unstable_double(jv)) return;  // Boost.JSON 1.81 precision limit, see above
  const std::string text = json::serialize(json::value_from(p));
  boost::system::error_code ec;
  const json::value again = json::parse(text, ec);
  if (ec) fail("value_from(Policy) serialized to text Boost.JSON cannot parse", text);
  graph::Policy q;
  try {
    q = json::value_to<graph::Policy>(again);
  } catch (const std::invalid_argument& e) {
    fail("value_from(Policy) output is rejected by value_to<Policy>", text + "\n" + e.what());
  }
  if (!(p == q)) fail("Policy changed across value_from/value_to", text);
  // A second serialization must be stable too.
  if (json::serialize(json::value_from(q)) != text) fail("serialization of an equal Policy differs", text);

  // The set planner over a policy Graph might return and the same one wanted.
  (void)graph::plan_set(std::nullopt, p);
  (void)graph::plan_set(p, p);
  (void)graph::sync_allowed(p.user_sync_inbound);
}

void desired(std::string_view text, bool beta, const graph::FieldFlags& flags) {
  try {
    graph::Policy wanted = graph::desired_policy(std::string(text), "fuzz.json", flags, kTenant, beta);
    (void)graph::plan_set(std::nullopt, wanted);
  } catch (const Error&) {
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);

  (void)graph::parse_error_body(text);
  (void)util::inexact_number(text);
  // Escaped text must never hold a control character or a raw non-UTF-8 byte again.
  for (const auto mode : {util::ControlEscape::message, util::ControlEscape::cell}) {
    const std::string shown = util::escape_controls(text, mode);
    if (util::needs_escape(shown, mode)) __builtin_trap();
  }

  boost::system::error_code ec;
  const json::value jv = json::parse(text, ec);
  if (!ec) round_trip(jv);

  desired(text, true, {});
  graph::FieldFlags flags;
  flags.display_name = "Fabrikam";
  flags.user_sync = true;
  desired(text, false, flags);
  return 0;
}
