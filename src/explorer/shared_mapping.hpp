// shared_mapping.hpp: anonymous memory shared by a process and every process it forks afterwards
// (explore --prove: the search's processes write their counts, states and failure there). It must be
// made before the first fork: a mapping made later is seen by its maker's descendants only.
#pragma once

#include <cstddef>

namespace vmmsim::explorer {

class SharedMapping {
 public:
  // bytes are reserved, not committed (MAP_NORESERVE): only pages written cost memory. Throws
  // std::runtime_error naming the size when the system refuses the mapping.
  explicit SharedMapping(std::size_t bytes);
  ~SharedMapping();
  SharedMapping(const SharedMapping&) = delete;
  SharedMapping& operator=(const SharedMapping&) = delete;

  void* data() const { return data_; }
  std::size_t size() const { return size_; }

 private:
  void* data_ = nullptr;
  std::size_t size_ = 0;
};

}  // namespace vmmsim::explorer
