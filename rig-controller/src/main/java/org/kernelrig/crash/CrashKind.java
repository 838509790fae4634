package org.kernelrig.crash;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * The kinds of kernel crash rig tells apart. The {@link #id()} is the name
 * used in scenario files ({@code expect: {crash: soft-lockup}}) and reports.
 */
public enum CrashKind {
    PANIC("panic"),
    OOPS("oops"),
    NULL_POINTER_DEREFERENCE("null-pointer-dereference"),
    PAGE_FAULT("page-fault"),
    GENERAL_PROTECTION_FAULT("general-protection-fault"),
    KERNEL_BUG("bug"),
    OTHER_BUG("other-bug"),
    WARNING("warning"),
    KASAN("kasan"),
    KFENCE("kfence"),
    KCSAN("kcsan"),
    KMSAN("kmsan"),
    UBSAN("ubsan"),
    SOFT_LOCKUP("soft-lockup"),
    HARD_LOCKUP("hard-lockup"),
    HUNG_TASK("hung-task"),
    RCU_STALL("rcu-stall"),
    DIVIDE_ERROR("divide-error"),
    INVALID_OPCODE("invalid-opcode"),
    DOUBLE_FAULT("double-fault"),
    STACK_PROTECTOR("stack-protector"),
    STACK_OVERFLOW("stack-overflow"),
    LIST_CORRUPTION("list-corruption"),
    REFCOUNT("refcount"),
    LOCKDEP("lockdep"),
    SLEEPING_IN_ATOMIC("sleeping-in-atomic"),
    MEMORY_LEAK("memory-leak"),
    OUT_OF_MEMORY("oom-kill"),
    SYSRQ_CRASH("sysrq-crash"),
    /** {@code rust_kernel: panicked at file:line:column:}, then the panic message. */
    RUST_PANIC("rust-panic"),
    /** The log shows the machine booting again where no crash was printed. */
    UNEXPECTED_REBOOT("unexpected-reboot");

    private final String id;

    CrashKind(String id) {
        this.id = id;
    }

    public String id() {
        return id;
    }

    public static Optional<CrashKind> fromId(String id) {
        return Arrays.stream(values()).filter(k -> k.id.equals(id)).findFirst();
    }

    public static List<String> ids() {
        return Arrays.stream(values()).map(CrashKind::id).toList();
    }
}
