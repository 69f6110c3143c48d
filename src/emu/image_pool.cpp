// image_pool.cpp: the per-thread pool of image_pool.hpp.
#include "emu/image_pool.hpp"

#include <sys/stat.h>

#include <map>
#include <tuple>
#include <utility>
#include <vector>

#include "emu/emulated_vxd.hpp"

namespace vmmsim::emu {

namespace {

// At most this many idle drivers per file: a Machine loads a file once, and a thread runs one
// Machine at a time (or a few, nested in tests), so more would only hold memory.
constexpr std::size_t kIdlePerFile = 2;

// FileId: what tells that the file is the one loaded before.
using FileId = std::tuple<std::string, off_t, std::int64_t, std::int64_t, ino_t>;

bool file_id(const std::string& path, FileId& id) {
  struct stat st {};
  if (stat(path.c_str(), &st) != 0) return false;
  id = FileId{path, st.st_size, st.st_mtim.tv_sec, st.st_mtim.tv_nsec, st.st_ino};
  return true;
}

struct Pool {
  std::map<FileId, std::vector<std::unique_ptr<EmulatedVxd>>> idle;
};

Pool& pool() {
  thread_local Pool p;
  return p;
}

// Lease: the driver a Machine holds; given back to the pool (reset on its next lease) when the
// Machine lets it go, unless it cannot be reset.
class Lease final : public detail::EmulatedDriver {
 public:
  Lease(FileId id, std::unique_ptr<EmulatedVxd> vxd) : id_(std::move(id)), vxd_(std::move(vxd)) {}
  ~Lease() override {
    auto& idle = pool().idle[id_];
    if (idle.size() < kIdlePerFile && vxd_->reusable()) idle.push_back(std::move(vxd_));
  }
  Lease(const Lease&) = delete;
  Lease& operator=(const Lease&) = delete;

  const std::string& name() const override { return vxd_->name(); }
  Reply control(std::uint32_t message, VM* vm, Thread* t) override { return vxd_->control(message, vm, t); }
  bool exports(const std::string& fname) const override { return vxd_->exports(fname); }
  std::uint32_t call(const std::string& fname, std::span<const std::uint32_t> args) override {
    return vxd_->call(fname, args);
  }
  std::uint32_t guest_vm(VM* vm) override { return vxd_->guest_vm(vm); }
  std::uint32_t guest_thread(Thread* t) override { return vxd_->guest_thread(t); }
  void set_limits(std::uint64_t max_steps, const std::atomic<bool>* interrupt) override {
    vxd_->set_limits(max_steps, interrupt);
  }

 private:
  FileId id_;
  std::unique_ptr<EmulatedVxd> vxd_;
};

}  // namespace

std::unique_ptr<detail::EmulatedDriver> lease_emulated_vxd(const std::string& path) {
  FileId id;
  if (!file_id(path, id)) return std::make_unique<EmulatedVxd>(path);  // it names the file and the error
  auto& idle = pool().idle[id];
  while (!idle.empty()) {
    std::unique_ptr<EmulatedVxd> vxd = std::move(idle.back());
    idle.pop_back();
    if (vxd->reset()) return std::make_unique<Lease>(std::move(id), std::move(vxd));
  }
  return std::make_unique<Lease>(std::move(id), std::make_unique<EmulatedVxd>(path));
}

std::size_t pooled_vxd_count() {
  std::size_t n = 0;
  for (const auto& [id, idle] : pool().idle) n += idle.size();
  return n;
}

}  // namespace vmmsim::emu
