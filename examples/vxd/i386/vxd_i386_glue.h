/* vxd_i386_glue.h: what vxd_i386.c (the DDK-wrapper forms) and vxd_i386_vtoolsd.c (the VToolsD
 * forms) share: the dynalink macros and the callback slots (vxd_i386.c says why there are slots).
 * Two files because the two families give the same C names different arguments (vmmsim/vxd.h
 * chooses one per translation unit). */
#ifndef VMMSIM_VXD_I386_GLUE_H
#define VMMSIM_VXD_I386_GLUE_H

#define VMMSIM_STR2(x) #x
#define VMMSIM_STR(x) VMMSIM_STR2(x)
#define VMMCALL(id) "int $0x20\n\t.long " VMMSIM_STR(id) "\n\t"
#define VMM(ordinal) (0x00010000 | (ordinal))
#define VMMSIM_SERVICE(ordinal) (0x7FF00000 | (ordinal)) /* vmmsim's own device (service_table.hpp) */

#define CARRY 0x1u
#define ZERO 0x40u
#define HIDDEN __attribute__((visibility("hidden")))

/* The kinds of C callback (how vmmsim_i386_event calls one). */
enum vmmsim_i386_kind {
  K_EVENT,           /* PEVENT_PROC, RestrictedEvent_HANDLER, ThreadEvent_HANDLER: (vm, thread, ref, crs) */
  K_VTD_EVENT,       /* Event_HANDLER: (vm, ref, crs) */
  K_VTD_PRIORITY,    /* PriorityVMEvent_HANDLER: (vm, ref, crs, flags) */
  K_VTD_TIMEOUT,     /* TIMEOUT_HANDLER: (vm, crs, ref, extra) */
  K_VTD_THREAD_TO,   /* THREADTIMEOUT_HANDLER: (thread, vm, crs, ref, extra) */
  K_VTD_ASYNC_TO     /* ASYNCTIMEOUT_HANDLER: (ref, extra) */
};
struct vmmsim_i386_slot {
  DWORD kind;
  void* callback;
  const void* refdata;
};
/* vmmsim_i386_slot_for: the slot of (kind, callback, refdata), made on first use. */
HIDDEN struct vmmsim_i386_slot* vmmsim_i386_slot_for(DWORD kind, void* callback, const void* refdata);
/* The register entry every callback is given as (ESI), with EDX = its slot. */
extern void vmmsim_i386_event_entry(void);
#define ENTRY ((DWORD)vmmsim_i386_event_entry)
#define SLOT(kind, callback, refdata) vmmsim_i386_slot_for(kind, (void*)(callback), (refdata))

/* Register services: the inputs in, the outputs out, "cc" for the flags. */

/* DDK "Call_Priority_VM_Event": EAX boost, EBX VM, ECX flags, EDX reference data, ESI callback, EDI
 * time-out; ESI = the event handle. "Call_Restricted_Event": the same with EBX = 0, a VM or (with
 * PEF_Thread_Event) a thread. */
#define PRIORITY_EVENT(ordinal, boost, handle, flags, s, timeout)                                      \
  ({                                                                                                \
    DWORD out_ = ENTRY;                                                                             \
    __asm__ volatile(VMMCALL(VMM(ordinal))                                                          \
                     : "+S"(out_)                                                                   \
                     : "a"(boost), "b"(handle), "c"(flags), "d"(s), "D"(timeout)                    \
                     : "cc", "memory");                                                             \
    (EVENTHANDLE) out_;                                                                             \
  })
/* DDK "Schedule_Global_Event", "Call_Global_Event" (ESI callback, EDX reference data), the VM forms
 * (EBX VM too), "Schedule_Thread_Event" (EDI thread too): ESI = the event handle. */
#define EVENT_IN(ordinal, reg, value, s)                                                               \
  ({                                                                                                \
    DWORD out_ = ENTRY;                                                                             \
    __asm__ volatile(VMMCALL(VMM(ordinal)) : "+S"(out_) : reg(value), "d"(s) : "cc", "memory");     \
    (EVENTHANDLE) out_;                                                                             \
  })
#define EVENT_GLOBAL(ordinal, s)                                                                       \
  ({                                                                                                \
    DWORD out_ = ENTRY;                                                                             \
    __asm__ volatile(VMMCALL(VMM(ordinal)) : "+S"(out_) : "d"(s) : "cc", "memory");                 \
    (EVENTHANDLE) out_;                                                                             \
  })
/* DDK "Set_Global_Time_Out", "Set_Async_Time_Out": EAX ms, EDX reference data, ESI callback; the VM
 * form EBX VM too, the thread form EDI thread too: ESI = the time-out handle. */
#define TIME_OUT_IN(ordinal, ms, reg, value, s)                                                        \
  ({                                                                                                \
    DWORD out_ = ENTRY;                                                                             \
    __asm__ volatile(VMMCALL(VMM(ordinal)) : "+S"(out_) : "a"(ms), reg(value), "d"(s) : "cc", "memory"); \
    (TIMEOUTHANDLE) out_;                                                                           \
  })
#define TIME_OUT(ordinal, ms, s)                                                                       \
  ({                                                                                                \
    DWORD out_ = ENTRY;                                                                             \
    __asm__ volatile(VMMCALL(VMM(ordinal)) : "+S"(out_) : "a"(ms), "d"(s) : "cc", "memory");        \
    (TIMEOUTHANDLE) out_;                                                                           \
  })
/* A service with inputs only, and one whose handle is in ESI (the Cancel_ services). */
#define IN1(ordinal, r1, v1) __asm__ volatile(VMMCALL(VMM(ordinal)) : : r1(v1) : "cc", "memory")
#define IN2(ordinal, r1, v1, r2, v2) __asm__ volatile(VMMCALL(VMM(ordinal)) : : r1(v1), r2(v2) : "cc", "memory")
#define NONE(ordinal) __asm__ volatile(VMMCALL(VMM(ordinal)) : : : "cc", "memory")
/* The carry after a service (DDK: set = failure for the services that report one). */
#define CARRY_OF(ordinal, r1, v1)                                                                       \
  ({                                                                                                \
    DWORD fl_;                                                                                      \
    __asm__ volatile(VMMCALL(VMM(ordinal)) "pushfl\n\tpopl %0" : "=r"(fl_) : r1(v1) : "cc", "memory"); \
    fl_ & CARRY;                                                                                    \
  })

/* The C-convention services: arguments pushed right to left, the caller pops them, EAX back. */
#define C1(id, a)                                                                                      \
  ({                                                                                                \
    DWORD r_;                                                                                       \
    __asm__ volatile("pushl %1\n\t" VMMCALL(id) "addl $4, %%esp"                                    \
                     : "=a"(r_) : "r"((DWORD)(a)) : "ecx", "edx", "cc", "memory");                  \
    r_;                                                                                             \
  })
#define C2(id, a, b)                                                                                   \
  ({                                                                                                \
    DWORD r_;                                                                                       \
    __asm__ volatile("pushl %2\n\tpushl %1\n\t" VMMCALL(id) "addl $8, %%esp"                        \
                     : "=a"(r_) : "r"((DWORD)(a)), "r"((DWORD)(b)) : "ecx", "edx", "cc", "memory"); \
    r_;                                                                                             \
  })
#endif
