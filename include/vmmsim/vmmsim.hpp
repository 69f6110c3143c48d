// vmmsim/vmmsim.hpp: everything a driver or an embedding program needs.
#pragma once

#include "vmmsim/chooser.hpp"
#include "vmmsim/constants.hpp"
#include "vmmsim/log.hpp"
#include "vmmsim/machine.hpp"
#include "vmmsim/schedule.hpp"
#include "vmmsim/services.hpp"
#include "vmmsim/types.hpp"

namespace vmmsim {
inline constexpr const char* version = "0.1.0";
}
