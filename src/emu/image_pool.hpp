// image_pool.hpp: emulated VxDs kept between the runs of one OS thread (issue 20 item 5). `vmmsim
// explore` runs each schedule on a fresh Machine, and loading an image afresh each time costs more
// than most schedules: reading and relocating the file, a new flat space, and above all new Unicorn
// engines (uc_open, a translation buffer) whose first entries translate every block again. So the
// loader leases a driver from this OS thread's pool: one loaded before from the same file (same path,
// size, modification time and inode) and reset (EmulatedVxd::reset: the flat space as the file
// makes it, no handles given, its engines and their translations kept), or a new one. The lease
// returns it when the Machine lets the driver go. Each OS thread has its own pool, so explore --jobs
// N shares nothing between workers.
#pragma once

#include <memory>
#include <string>

#include "vxd/drivers.hpp"

namespace vmmsim::emu {

// lease_emulated_vxd: the driver of the image at path (ImageError when the file is refused).
std::unique_ptr<detail::EmulatedDriver> lease_emulated_vxd(const std::string& path);

// pooled_vxd_count: the drivers this OS thread's pool keeps idle now (tests).
std::size_t pooled_vxd_count();

}  // namespace vmmsim::emu
