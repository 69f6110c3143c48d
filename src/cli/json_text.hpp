// json_text.hpp: appending JSON values to a string, for the traces that write one value per record
// (building a nlohmann::json object per record costs several times more than the run itself).
#pragma once

#include <fmt/format.h>

#include <cmath>
#include <cstdint>
#include <string>
#include <string_view>

#include "vmmsim/log.hpp"

namespace vmmsim::command {

// append_json_string: s as a JSON string literal. Invalid UTF-8 is replaced (U+FFFD), as JSON
// requires valid text.
void append_json_string(std::string& out, std::string_view s);

inline void append_json_number(std::string& out, double d) {
  if (std::isfinite(d)) {
    fmt::format_to(std::back_inserter(out), "{}", d);
  } else {
    out += "null";
  }
}

inline void append_json_integer(std::string& out, std::int64_t i) { fmt::format_to(std::back_inserter(out), "{}", i); }

// append_json_key: ,"key": (without the comma for the first member); the value follows.
inline void append_json_key(std::string& out, std::string_view key, bool first = false) {
  if (!first) out += ',';
  append_json_string(out, key);
  out += ':';
}

// append_json_field_value: a record's field as a value of its JSON type.
inline void append_json_field_value(std::string& out, const LogField& field) {
  switch (field.type) {
    case LogField::Type::integer: append_json_integer(out, field.i); return;
    case LogField::Type::number: append_json_number(out, field.d); return;
    case LogField::Type::boolean: out += field.b ? "true" : "false"; return;
    case LogField::Type::string: break;
  }
  append_json_string(out, field.s);
}

}  // namespace vmmsim::command
