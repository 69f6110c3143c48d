// shared_mapping.cpp: SharedMapping (shared_mapping.hpp).
#include "explorer/shared_mapping.hpp"

#include <sys/mman.h>

#include <cerrno>
#include <cstring>
#include <stdexcept>

#include <fmt/format.h>

namespace vmmsim::explorer {

SharedMapping::SharedMapping(std::size_t bytes) : size_(bytes) {
  void* p = mmap(nullptr, bytes, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
  if (p == MAP_FAILED)
    throw std::runtime_error(fmt::format("explore --prove: cannot map {} bytes of shared memory: {}", bytes,
                                         std::strerror(errno)));
  data_ = p;
}

SharedMapping::~SharedMapping() {
  if (data_ != nullptr) munmap(data_, size_);
}

}  // namespace vmmsim::explorer
