// lua_emulated_vxd.hpp: drv.call for a driver that is an emulated i386 image (issue 20):
// lua_vxd.cpp's call_driver hands such a driver here.
#pragma once

#include "lua_binding.hpp"

namespace vmmsim::detail {
class EmulatedDriver;
}  // namespace vmmsim::detail

namespace vmmsim::lua {

// call_emulated_driver: calls fname of the driver with the Lua values from `first` on as 32-bit C
// arguments (integers that fit 32 bits, booleans, nil as 0, threads and VMs as the handles the driver
// sees); pushes EAX. Strings are refused: the image cannot read the Lua state's memory.
int call_emulated_driver(lua_State* L, Binding& b, detail::EmulatedDriver& driver, const char* fname, int first);

}  // namespace vmmsim::lua
