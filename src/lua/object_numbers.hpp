// object_numbers.hpp: the numbers a state fingerprint gives the objects it meets (lua_state_hash.cpp):
// the first meeting numbers an object, later ones write its number. An open-addressing map from
// address to number, emptied between fingerprints without giving back its memory: a fingerprint
// meets a few hundred objects, and std::unordered_map spent more time in malloc than the walk did.
#pragma once

#include <cstdint>
#include <vector>

namespace vmmsim::lua {

class ObjectNumbers {
 public:
  static constexpr std::uint64_t kNew = ~std::uint64_t{0};

  // number: p's number if it was met before; otherwise gives p the next number and returns kNew.
  std::uint64_t number(const void* p) {
    if ((count_ + 1) * 2 > slots_.size()) grow();
    for (std::size_t i = slot_of(p);; i = (i + 1) & (slots_.size() - 1)) {
      Slot& s = slots_[i];
      if (s.key == p) return s.number;
      if (s.key == nullptr) {
        s = Slot{p, count_++};
        return kNew;
      }
    }
  }
  std::uint64_t size() const { return count_; }
  void clear() {
    if (count_ == 0) return;
    for (Slot& s : slots_) s.key = nullptr;
    count_ = 0;
  }

 private:
  struct Slot {
    const void* key = nullptr;
    std::uint64_t number = 0;
  };
  std::size_t slot_of(const void* p) const {
    auto x = reinterpret_cast<std::uintptr_t>(p) * 0x9E3779B97F4A7C15ULL;
    return static_cast<std::size_t>(x >> shift_);
  }
  void grow() {
    std::vector<Slot> old = std::move(slots_);
    slots_.assign(old.empty() ? 256 : old.size() * 2, Slot{});
    shift_ = 64;
    for (std::size_t n = slots_.size(); n > 1; n >>= 1) --shift_;
    for (const Slot& s : old)
      if (s.key != nullptr)
        for (std::size_t i = slot_of(s.key);; i = (i + 1) & (slots_.size() - 1))
          if (slots_[i].key == nullptr) {
            slots_[i] = s;
            break;
          }
  }

  std::vector<Slot> slots_;
  std::uint64_t count_ = 0;
  unsigned shift_ = 64;
};

}  // namespace vmmsim::lua
