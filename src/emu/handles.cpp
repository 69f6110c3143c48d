// handles.cpp: the map of handles.hpp.
#include "emu/handles.hpp"

#include <fmt/format.h>

namespace vmmsim::emu {

const char* handle_kind_name(HandleKind kind) {
  switch (kind) {
    case HandleKind::vm: return "a VM handle";
    case HandleKind::thread: return "a thread handle";
    case HandleKind::event: return "an event handle";
    case HandleKind::timeout: return "a time-out handle";
    case HandleKind::semaphore: return "a semaphore handle";
    case HandleKind::mutex: return "a mutex handle";
  }
  return "a handle";
}

std::uint32_t HandleMap::guest(HandleKind kind, std::uint64_t host) {
  if (host == 0) return 0;
  auto& index = index_[static_cast<int>(kind)];
  auto it = index.find(host);
  if (it != index.end()) return it->second;
  auto value = static_cast<std::uint32_t>(kBase + entries_.size() * kStride);
  entries_.push_back({kind, host});
  index.emplace(host, value);
  return value;
}

bool HandleMap::host(HandleKind kind, std::uint32_t guest, std::uint64_t& host, std::string& why) const {
  host = 0;
  if (guest == 0) return true;
  std::uint64_t i = (std::uint64_t{guest} - kBase) / kStride;
  if (guest < kBase || (guest - kBase) % kStride != 0 || i >= entries_.size()) {
    why = fmt::format("0x{:08x} is not {} vmmsim gave the driver", guest, handle_kind_name(kind));
    return false;
  }
  const Entry& e = entries_[static_cast<std::size_t>(i)];
  if (e.kind != kind) {
    why = fmt::format("0x{:08x} is {}, not {}", guest, handle_kind_name(e.kind), handle_kind_name(kind));
    return false;
  }
  host = e.host;
  return true;
}

}  // namespace vmmsim::emu
