#include "render/json_pretty.hpp"

#include <boost/json.hpp>

namespace xtsync::render {

namespace json = boost::json;

namespace {

void write(std::string& out, const json::value& v, int depth) {
  const auto indent = [&](int d) { out.append(static_cast<std::size_t>(d) * 2, ' '); };
  switch (v.kind()) {
    case json::kind::object: {
      const auto& o = v.get_object();
      if (o.empty()) {
        out += "{}";
        return;
      }
      out += "{\n";
      bool first = true;
      for (const auto& [key, value] : o) {
        if (!first) out += ",\n";
        first = false;
        indent(depth + 1);
        out += json::serialize(json::string(key));
        out += ": ";
        write(out, value, depth + 1);
      }
      out += '\n';
      indent(depth);
      out += '}';
      return;
    }
    case json::kind::array: {
      const auto& a = v.get_array();
      if (a.empty()) {
        out += "[]";
        return;
      }
      out += "[\n";
      for (std::size_t i = 0; i < a.size(); ++i) {
        if (i > 0) out += ",\n";
        indent(depth + 1);
        write(out, a[i], depth + 1);
      }
      out += '\n';
      indent(depth);
      out += ']';
      return;
    }
    default: out += json::serialize(v);
  }
}

}  // namespace

std::string pretty_json(const json::value& value) {
  std::string out;
  write(out, value, 0);
  out += '\n';
  return out;
}

std::string JsonArrayWriter::item(const json::value& value) {
  std::string out = any_ ? ",\n  " : "[\n  ";
  any_ = true;
  write(out, value, 1);
  return out;
}

std::string JsonArrayWriter::end() const { return any_ ? "\n]\n" : "[]\n"; }

}  // namespace xtsync::render
