// state_hasher.cpp: StateHasher's digest, XXH3-128 (libxxhash) over the gathered items.
#include <xxhash.h>

#include "vmmsim/state_hash.hpp"

namespace vmmsim {

Fingerprint StateHasher::digest() const {
  XXH128_hash_t h = XXH3_128bits(buffer_.data(), buffer_.size());
  return {h.low64, h.high64};
}

}  // namespace vmmsim
