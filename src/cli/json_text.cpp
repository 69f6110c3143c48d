// json_text.cpp: JSON string literals (json_text.hpp).
#include "json_text.hpp"

#include <nlohmann/json.hpp>

namespace vmmsim::command {

void append_json_string(std::string& out, std::string_view s) {
  out += '"';
  for (std::size_t i = 0; i < s.size(); ++i) {
    auto c = static_cast<unsigned char>(s[i]);
    if (c >= 0x80) {  // rare: let nlohmann validate UTF-8 and escape the rest of the string
      out += nlohmann::json(std::string(s.substr(i))).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace).substr(1);
      return;
    }
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\n': out += "\\n"; break;
      case '\t': out += "\\t"; break;
      case '\r': out += "\\r"; break;
      default:
        if (c < 0x20) {
          fmt::format_to(std::back_inserter(out), "\\u{:04x}", static_cast<unsigned>(c));
        } else {
          out += static_cast<char>(c);
        }
    }
  }
  out += '"';
}

}  // namespace vmmsim::command
