// state_hasher.cpp: StateHasher over XXH3-128 (libxxhash), streaming: a fingerprint is written item
// by item as the state is walked, never assembled in memory.
#include <xxhash.h>

#include "vmmsim/state_hash.hpp"

namespace vmmsim {

struct StateHasher::State {
  XXH3_state_t* xxh = XXH3_createState();
  ~State() { XXH3_freeState(xxh); }
};

StateHasher::StateHasher() : state_(std::make_unique<State>()) {
  if (state_->xxh == nullptr) throw std::bad_alloc();
  XXH3_128bits_reset(state_->xxh);
}

StateHasher::~StateHasher() = default;

void StateHasher::bytes(const void* data, std::size_t size) { XXH3_128bits_update(state_->xxh, data, size); }

Fingerprint StateHasher::digest() const {
  XXH128_hash_t h = XXH3_128bits_digest(state_->xxh);
  return {h.low64, h.high64};
}

}  // namespace vmmsim
