/* vmmsim/vxd_segment.h: what VToolsD's `#include LOCKED_CODE_SEGMENT` (and the other segment
 * includes) name: a VxD's code and data segments mean nothing in a simulation, so this is empty.
 * It may be included any number of times. */
