// schedule.cpp: schedule tokens. A token is "v1" then base64url (RFC 4648 section 5, no padding) of
// LEB128 varints: for each non-default pick, the gap from the previous picked choice point, then
// the option. Short for the schedules the explorer hands back: few non-default choices. When the
// choice space is not the default one, the token is "v2" and the varints start with the space: a
// flags word (1: event order across classes, 2: spurious wake-ups, 4: jitter), then the jitter in
// µs if flag 4 is set.
#include "vmmsim/schedule.hpp"

#include <fmt/format.h>

#include <string_view>
#include <vector>

namespace vmmsim {

namespace {

constexpr std::string_view kAlphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
constexpr std::string_view kPrefixV1 = "v1";
constexpr std::string_view kPrefixV2 = "v2";
constexpr std::uint64_t kFlagAny = 1, kFlagSpurious = 2, kFlagJitter = 4;

void put_varint(std::vector<std::uint8_t>& out, std::uint64_t v) {
  while (v >= 0x80) {
    out.push_back(static_cast<std::uint8_t>(v | 0x80));
    v >>= 7;
  }
  out.push_back(static_cast<std::uint8_t>(v));
}

std::string encode(const std::vector<std::uint8_t>& bytes) {
  std::string s;
  std::uint32_t acc = 0;
  int bits = 0;
  for (std::uint8_t b : bytes) {
    acc = (acc << 8) | b;
    bits += 8;
    while (bits >= 6) {
      bits -= 6;
      s.push_back(kAlphabet[(acc >> bits) & 63]);
    }
  }
  if (bits > 0) s.push_back(kAlphabet[(acc << (6 - bits)) & 63]);
  return s;
}

bool decode(std::string_view text, std::vector<std::uint8_t>& bytes) {
  std::uint32_t acc = 0;
  int bits = 0;
  for (char c : text) {
    std::size_t v = kAlphabet.find(c);
    if (v == std::string_view::npos) return false;
    acc = (acc << 6) | static_cast<std::uint32_t>(v);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      bytes.push_back(static_cast<std::uint8_t>((acc >> bits) & 0xFF));
    }
  }
  return true;
}

}  // namespace

std::string Schedule::token() const {
  std::vector<std::uint8_t> bytes;
  bool v2 = !(space == ChoiceSpace{});
  if (v2) {
    std::uint64_t flags = (space.event_order_any ? kFlagAny : 0) | (space.spurious_wakeups ? kFlagSpurious : 0) |
                          (space.jitter_us > 0 ? kFlagJitter : 0);
    put_varint(bytes, flags);
    if (space.jitter_us > 0) put_varint(bytes, static_cast<std::uint64_t>(space.jitter_us));
  }
  std::uint64_t previous = 0;
  bool first = true;
  for (const auto& [point, option] : picks) {
    put_varint(bytes, first ? point : point - previous);
    put_varint(bytes, option);
    previous = point;
    first = false;
  }
  return std::string(v2 ? kPrefixV2 : kPrefixV1) + encode(bytes);
}

std::optional<Schedule> Schedule::parse(const std::string& token, std::string* why) {
  auto fail = [&](std::string reason) -> std::optional<Schedule> {
    if (why) *why = std::move(reason);
    return std::nullopt;
  };
  bool v2 = token.rfind(kPrefixV2, 0) == 0;
  if (!v2 && token.rfind(kPrefixV1, 0) != 0) return fail("a schedule token starts with \"v1\" or \"v2\"");
  std::vector<std::uint8_t> bytes;
  if (!decode(std::string_view(token).substr(kPrefixV1.size()), bytes))
    return fail("a schedule token holds only letters, digits, '-' and '_' after its version (\"v1\" or \"v2\")");
  Schedule s;
  std::size_t i = 0;
  auto get = [&](std::uint64_t& v) {
    v = 0;
    for (int shift = 0; shift < 64; shift += 7) {
      if (i >= bytes.size()) return false;
      std::uint8_t b = bytes[i++];
      v |= static_cast<std::uint64_t>(b & 0x7F) << shift;
      if (!(b & 0x80)) return true;
    }
    return false;
  };
  if (v2) {
    std::uint64_t flags = 0, jitter = 0;
    if (!get(flags)) return fail("the schedule token is cut short or damaged");
    if (flags == 0 || (flags & ~(kFlagAny | kFlagSpurious | kFlagJitter)) != 0)
      return fail("the schedule token names an unknown choice space");
    if ((flags & kFlagJitter) && (!get(jitter) || jitter == 0 || jitter > 1'000'000'000'000ULL))
      return fail("the schedule token holds an impossible jitter");
    s.space.event_order_any = (flags & kFlagAny) != 0;
    s.space.spurious_wakeups = (flags & kFlagSpurious) != 0;
    s.space.jitter_us = static_cast<std::int64_t>(jitter);
  }
  std::uint64_t point = 0;
  bool first = true;
  while (i < bytes.size()) {
    std::uint64_t gap = 0, option = 0;
    if (!get(gap) || !get(option)) return fail("the schedule token is cut short or damaged");
    if (!first && gap == 0) return fail("the schedule token repeats a choice point");
    if (option == 0 || option > 0xFFFFFFFFu) return fail("the schedule token holds an impossible option");
    point = first ? gap : point + gap;
    first = false;
    s.picks[point] = static_cast<std::uint32_t>(option);
  }
  return s;
}

std::size_t ReplayChooser::choose(const ChoicePoint& p) {
  ChoiceKind kind = p.kind;
  std::size_t n = p.count;
  std::uint64_t point = next_++;
  auto it = schedule_.picks.find(point);
  if (it == schedule_.picks.end()) return 0;
  if (it->second >= n) {
    if (mismatch_.empty())
      mismatch_ = fmt::format("choice point {} ({}) offers {} options, the token asks for option {}", point,
                              choice_kind_name(kind), n, it->second);
    return 0;
  }
  return it->second;
}

std::size_t ReplayChooser::unused() const {
  std::size_t count = 0;
  for (const auto& [point, option] : schedule_.picks)
    if (point >= next_) ++count;
  return count;
}

std::size_t RecordingChooser::choose(const ChoicePoint& p) {
  std::size_t n = p.count;
  std::uint64_t point = next_++;
  std::size_t pick = inner_ != nullptr ? inner_->choose(p) : 0;
  if (pick >= n) pick = 0;
  if (pick != 0) schedule_.picks[point] = static_cast<std::uint32_t>(pick);
  return pick;
}

}  // namespace vmmsim
