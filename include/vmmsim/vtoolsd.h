/* vmmsim/vtoolsd.h: vmmsim/vxd.h with the VToolsD calling forms (vmmsim/vxd_vtoolsd.h), for
 * drivers written against Compuware VToolsD's headers. */
#ifndef VMMSIM_VTOOLSD_H
#define VMMSIM_VTOOLSD_H
#ifndef VMMSIM_VTOOLSD
#define VMMSIM_VTOOLSD 1
#endif
#include "vmmsim/vxd.h"
#endif /* VMMSIM_VTOOLSD_H */
