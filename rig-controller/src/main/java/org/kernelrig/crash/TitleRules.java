package org.kernelrig.crash;

import static org.kernelrig.crash.CrashKind.*;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * The texts that start kernel crash reports and how each report is titled. The titles follow the
 * conventions of syzkaller's report parser (google/syzkaller, pkg/report), which kernel developers
 * know crashes by: a short class, then {@code in} and the first stack frame that is not generic
 * kernel plumbing.
 */
final class TitleRules {

    private TitleRules() {
    }

    /** Stands for "the frames of a stack trace" among the parts of a {@link StackRule}. */
    static final Pattern STACK = Pattern.compile("\\Q<stack trace>\\E");

    /** Expands the placeholders {{PC}}, {{FUNC}}, {{SRC}}, {{TASK}}, {{ADDR}} and compiles. */
    static Pattern rx(String re) {
        // "one or more lines, then a line with X" as a lazy scan: same matches, no deep recursion
        return Pattern.compile(re
                .replace("(?:.*\\n)+?.*?", "[^\\n]*\\n[\\s\\S]*?")
                .replace("(?:.*\\n)+?.*", "[^\\n]*\\n[\\s\\S]*?")
                .replace("{{ADDR}}", "0x[0-9a-f]+")
                .replace("{{PC}}", "\\[\\<?(?:0x)?[0-9a-f]+\\>?\\]")
                .replace("{{FUNC}}", "([a-zA-Z0-9_]+)(?:\\.|\\+)")
                .replace("{{SRC}}", "([a-zA-Z0-9_/.\\-]+\\.[a-z]+:[0-9]+)")
                .replace("{{TASK}}", "[\\s\\S]{0,100}?"));
    }

    /** The faulting instruction line: {@code RIP: 0010:foo+0x1/0x2}, {@code pc : foo+0x1/0x2}, {@code PC is at foo}. */
    static final Pattern RIP_FRAME = rx("(?:IP|NIP|pc |PC is at):? (?:(?:[0-9]+:)?(?:{{PC}} +){0,2}{{FUNC}}"
            + "|(?:[0-9]+:)?0x[0-9a-f]+|(?:[0-9]+:)?{{PC}} +\\[< *\\(null\\)>\\] +\\(null\\)|[0-9]+: +\\(null\\))");
    static final Pattern CALL_TRACE = rx("(?:Call (?:T|t)race:)|(?:Backtrace:)");

    /**
     * A frame line of 32-bit arm, {@code [<c0100000>] (foo) from [<c0100100>] (bar+0x1/0x2)}: both
     * functions are frames. The usual form, {@code  foo+0x1/0x2} or {@code [<ffffffff8100>] foo+0x1/0x2},
     * is read by {@link TitleExtractor#frameFunction(String)}.
     */
    static final Pattern ARM_FRAME_LINE = rx("^ *{{PC}} \\(([a-zA-Z0-9_.]+)\\) from {{PC}} \\({{FUNC}}");

    /** Fault injection frames mixed into a report make it unreliable. */
    static final Pattern CORRUPTED_LINE = rx("^( \\[\\<?(?:0x)?[0-9a-f]+\\>?\\])? should_fail(slab)?(\\.[a-z0-9.]+)?\\+0x");

    /** Prefixes taken off frame names: {@code __x64_sys_write} is blamed as {@code write}. */
    static final List<String> STRIPPED_PREFIXES = List.of("SYSC_", "SyS_", "sys_", "__x64_", "__ia32_", "__arm64_",
            "____sys_", "___sys_", "__sys_", "__se_", "__se_sys_", "__do_sys_", "compat_SYSC_", "compat_SyS_", "ksys_");

    /**
     * Generic plumbing never blamed for a crash: the reporting machinery (dump_stack, panic, __warn,
     * report_bug), sanitizer internals, allocators, locking, string and list helpers, fault handlers.
     */
    static final List<String> PLUMBING = List.of(
            "__sanitizer", "__asan", "kasan", "hwasan", "__msan", "kmsan", "kcsan_setup_watchpoint",
            "check_memory_region", "check_heap_object", "check_object", "read_word_at_a_time",
            "(read|write)_once_.*nocheck", "print_address_description", "panic", "invalid_op", "report_bug",
            "fixup_bug", "print_report", "print_usage_bug", "do_error", "_trap$|do_trap", "show_stack",
            "dump_stack", "walk_stack", "dump_backtrace", "warn_slowpath", "warn_alloc", "warn_bogus", "__warn",
            "alloc_page", "k?v?(?:m|z|c)alloc", "krealloc", "kmem_cache", "allocate_slab",
            "__alloc_frozen_pages_noprof", "folio_(?:alloc|unlock)", "filemap_alloc_folio", "__filemap_get_folio",
            "find_or_create_page", "do_read_cache_folio", "read_cache_page", "pagecache_get_page",
            "grab_cache_page_write_begin", "slab_", "debug_object", "timer_is_static_object",
            "work_is_static_object", "__might_fault", "print_unlock", "imbalance_bug", "lockdep", "bh_enable",
            "bh_disable", "perf_trace", "lock_acquire", "lock_release", "lock_class", "mark_lock",
            "(reacquire|mark)_held_locks", "raw_spin_rq", "spin_lock", "spin_trylock", "spin_unlock", "read_lock",
            "read_trylock", "write_lock", "write_trylock", "read_unlock", "write_unlock", "^down$", "down_read",
            "down_write", "down_read_trylock", "down_write_trylock", "down_trylock", "up_read", "up_write",
            "^mutex_", "^__mutex_", "^rt_mutex_", "owner_on_cpu", "osq_lock", "osq_unlock",
            "atomic(64)?_(dec|inc|read|set|or|xor|and|add|sub|fetch|xchg|cmpxchg|try)", "(set|clear|change|test)_bit",
            "__wake_up", "^refcount_", "^kref_", "ref_tracker", "seqprop_assert", "memcpy", "memcmp", "memset",
            "memchr", "memmove", "memdup", "strcmp", "strncmp", "strcpy", "strlcpy", "strncpy", "strscpy", "strlen",
            "strstr", "strnstr", "strnlen", "strchr", "strdup", "strndup", "copy_to_user", "copy_from_user",
            "copy_to_iter", "copy_from_iter", "copy_page_to_iter", "copy_page_from_iter", "copy_folio_to_iter",
            "^copyin$", "^copyout$", "put_user", "get_user", "might_fault", "might_sleep", "list_add", "list_del",
            "list_replace", "list_move", "list_splice", "^rb_", "^__rb_", "_indirect_thunk_", "string", "pointer",
            "snprintf", "scnprintf", "kasprintf", "kvasprintf", "printk", "va_format", "dev_info", "dev_notice",
            "dev_warn", "dev_err", "dev_alert", "dev_crit", "dev_emerg", "program_check_exception",
            "program_check_common", "del_timer", "flush_work", "__cancel_work_timer", "cancel_work_sync",
            "try_to_grab_pending", "flush_workqueue", "drain_workqueue", "destroy_workqueue", "queue_work",
            "finish_wait", "kthread_stop", "kobject_", "add_uevent_var", "get_device_parent", "device_add",
            "device_del", "device_unregister", "device_destroy", "device_release", "devres_release_all",
            "hwrng_unregister", "i2c_del_adapter", "__unregister_client", "device_for_each_child",
            "rollback_registered", "unregister_netdev", "sysfs_remove", "device_remove_file",
            "tty_unregister_device", "dummy_urb_enqueue", "usb_kill_urb", "usb_kill_anchored_urbs",
            "usb_control_msg", "usb_hcd_submit_urb", "usb_submit_urb", "^complete$", "wait_for_completion",
            "^kv?free$", "kfree_skb", "readb$", "readw$", "readl$", "readq$", "writeb$", "writew$", "writel$",
            "writeq$", "logic_in", "logic_out", "^crc\\d+", "crc_itu_t", "__might_resched", "assertfail", "^iput$",
            "^iput_final$", "^ihold$", "hex_dump_to_buffer", "print_hex_dump", "^klist_",
            "(trace|lockdep)_(hard|soft)irq", "^(un)?lock_page", "stack_trace_consume_entry", "arch_stack_walk",
            "stack_trace_save", "insert_work", "__queue_delayed_work", "queue_delayed_work_on", "ida_free",
            "do_(kernel|translation)_fault", "do_mem_abort", "el1_abort", "el1h_64_sync(?:_handler)?",
            "print_tainted", "xas_(?:start|load|find)", "find_lock_entries", "truncate_inode_pages_range",
            "__phys_addr", "__fortify_report", "cleanup_srcu_struct", "rhashtable_lookup",
            "extract_(user|iter)_to_sg", "drop_nlink", "^get_taint$", "^put_device$", "lock_timer_base",
            "__timer_delete_sync", "sk_stop_timer_sync", "__mod_timer", "fast_dput", "dput", "mark_buffer_dirty");

    /**
     * Plumbing when a frame is blamed without a title format: {@link #PLUMBING} and the fault and
     * syscall entry code, which title formats need to see (a stall is blamed on the frame above the
     * syscall entry).
     */
    static final FrameFilter GUILTY_PLUMBING = new FrameFilter(Pattern.compile(String.join("|", PLUMBING) + "|"
            + String.join("|", List.of("^exc_page_fault$", "^asm_exc_", "^handle_mm_fault$", "^do_user_addr_fault$",
                    "^page_fault_oops$", "^kernelmode_fixup_or_oops$", "^__bad_area_nosemaphore$",
                    "^bad_area_nosemaphore$", "^die$", "^oops_end$", "^__die", "^exc_invalid_op$", "^handle_bug$",
                    "^exc_general_protection$", "^die_addr$", "^exc_divide_error$", "^entry_SYSCALL", "^do_syscall_",
                    "^ret_from_fork", "^dump_header$", "^oom_kill_process", "^out_of_memory$"))));

    /** Lines that contain a crash header but do not start a new report inside an open one. */
    static final List<String> STARTS_INSIDE_REPORT = List.of("invalid opcode: 0000", "Kernel panic - not syncing",
            // the BUG() through which a Rust panic stops the kernel
            "kernel BUG at rust/helpers/bug.c",
            "unregister_netdevice: waiting for", "PANIC: double fault", "Internal error:", "Oops: ",
            // another task running out of memory while a crash is reported is noise in that report
            "invoked oom-killer:");

    /** Messages with a stack that are not crashes; inside a report they mean it is interleaved. */
    static final List<String> INFO_WITH_STACK = List.of("vmalloc: allocation failure:",
            "FAULT_INJECTION: forcing a failure", "FAULT_FLAG_ALLOW_RETRY missing");

    private static StackRule stack(List<Pattern> parts, List<Pattern> parts2, StackRule.FrameChooser chooser,
            String... skip) {
        List<String> all = new ArrayList<>(PLUMBING);
        all.addAll(Arrays.asList(skip));
        return new StackRule(parts, parts2, new FrameFilter(Pattern.compile(String.join("|", all))), chooser);
    }

    private static StackRule stack(List<Pattern> parts, String... skip) {
        return stack(parts, List.of(), StackRule.FIRST, skip);
    }

    private static StackRule stall(List<Pattern> parts, String... skip) {
        return stack(parts, List.of(), FrameChoosers.STALL, skip);
    }

    private static final List<Pattern> RIP_THEN_TRACE = List.of(RIP_FRAME, CALL_TRACE, STACK);
    private static final List<Pattern> TRACE = List.of(CALL_TRACE, STACK);

    private static final Pattern RIP_OR_INTERRUPT = Pattern.compile("(?:" + RIP_FRAME.pattern()
            + "|--- interrupt: [0-9]+ at ([a-zA-Z0-9_]+)(?:\\.|\\+))");

    private static StackRule warning(String... skip) {
        return stack(List.of(RIP_OR_INTERRUPT, STACK), TRACE, StackRule.FIRST, skip);
    }

    /**
     * What a text must contain for a pattern to match it: every text of {@code allOf} and one text
     * of each list of {@code anyOf}. A cheap test before a pattern tried on every line of a report, or
     * that would search a whole report in vain.
     */
    record Prefilter(List<String> allOf, List<List<String>> anyOf) {

        // indexed loops: tried on every line of every report, where iterators would be garbage
        boolean mayMatch(String text) {
            for (int i = 0; i < allOf.size(); i++) {
                if (!text.contains(allOf.get(i))) {
                    return false;
                }
            }
            for (int i = 0; i < anyOf.size(); i++) {
                if (!containsAny(text, anyOf.get(i))) {
                    return false;
                }
            }
            return true;
        }

        private static boolean containsAny(String text, List<String> needles) {
            for (int i = 0; i < needles.size(); i++) {
                if (text.contains(needles.get(i))) {
                    return true;
                }
            }
            return false;
        }
    }

    private static final Map<Pattern, Prefilter> PREFILTERS = new ConcurrentHashMap<>();

    /** The prefilter of a pattern, worked out once per pattern. */
    static Prefilter prefilter(Pattern pattern) {
        return PREFILTERS.computeIfAbsent(pattern, p -> {
            if (p.flags() != 0 || p.pattern().matches("(?s).*\\(\\?[a-z]*[imsux].*")) {
                // flags change what a literal matches: no prefilter
                return new Prefilter(List.of(), List.of());
            }
            String[] needles = needles(p);
            if (needles != null) {
                return new Prefilter(List.of(), List.of(List.of(needles)));
            }
            List<List<String>> anyOf = new ArrayList<>(TitleFormat.groupAlternatives(p));
            List<String> alternatives = TitleFormat.alternativeLiterals(p);
            if (alternatives != null) {
                anyOf.add(alternatives);
            }
            return new Prefilter(TitleFormat.requiredLiterals(p), List.copyOf(anyOf));
        });
    }

    /**
     * Texts one of which a line must contain for these patterns to match it, where the pattern's own
     * literals do not tell: its alternatives are inside groups with more than literals.
     */
    private static String[] needles(Pattern pattern) {
        if (pattern == RIP_FRAME) {
            return new String[] {"IP", "pc ", "PC is at"};
        }
        if (pattern == RIP_OR_INTERRUPT) {
            return new String[] {"IP", "pc ", "PC is at", "--- interrupt:"};
        }
        if (pattern == CALL_TRACE) {
            return new String[] {"race:", "Backtrace:"};
        }
        return null;
    }

    /** A title format under construction. */
    private static final class F {
        final CrashKind kind;
        final Pattern title;
        final String template;
        Pattern report;
        List<String> alt = List.of();
        StackRule stack;
        boolean noStack;
        boolean corrupted;
        String needle = "";

        F(CrashKind kind, String title, String template) {
            this.kind = kind;
            this.title = rx(title);
            this.template = template;
        }

        F report(String re) {
            report = rx(re);
            return this;
        }

        F alt(String... alternatives) {
            alt = List.of(alternatives);
            return this;
        }

        F stack(StackRule rule) {
            stack = rule;
            return this;
        }

        F noStack() {
            noStack = true;
            return this;
        }

        F needle(String text) {
            needle = text;
            return this;
        }

        F corrupted() {
            corrupted = true;
            return this;
        }

        TitleFormat build() {
            return new TitleFormat(kind, title, report, template, alt, stack, noStack, corrupted,
                    TitleFormat.spansLines(title), needle, TitleFormat.literalPrefix(title), prefilter(title),
                    report == null ? null : prefilter(report));
        }
    }

    private static F f(CrashKind kind, String title, String template) {
        return new F(kind, title, template);
    }

    private static OopsHeader header(String keyword, CrashKind kind, List<F> formats, String... suppressions) {
        return new OopsHeader(keyword, kind, formats.stream().map(F::build).toList(),
                Arrays.stream(suppressions).map(TitleRules::rx).toList());
    }

    /** The crash headers, in the order they are tried on a line. */
    static final List<OopsHeader> HEADERS = List.of(
            header("BUG:", OTHER_BUG, List.of(
                    f(KASAN, "BUG: KASAN:", "KASAN: %1 %3 in %4")
                            .report("BUG: KASAN: ([a-z\\-]+) in {{FUNC}}(?:.*\\n)+?.*(Read|Write) (?:of size|at addr) (?:[0-9a-f]+)")
                            .alt("bad-access in %4")
                            .stack(stack(List.of(rx("BUG: KASAN: (?:[a-z\\-]+) in {{FUNC}}"), CALL_TRACE, STACK),
                                    "kernel_fault", "tag_check", "mem_abort", "^el1_", "^el1h_")),
                    f(KASAN, "BUG: KASAN:", "KASAN: invalid-free in %2")
                            .report("BUG: KASAN: (?:double-free or invalid-free|double-free|invalid-free) in {{FUNC}}")
                            .alt("invalid-free in %2")
                            .stack(stack(List.of(rx("BUG: KASAN: (?:double-free or invalid-free|double-free|invalid-free) in {{FUNC}}"),
                                    CALL_TRACE, STACK), "slab_", "kfree", "vunmap", "vfree")),
                    f(KASAN, "BUG: KASAN: ([a-z\\-]+) on address(?:.*\\n)+?.*(Read|Write) of size ([0-9]+)", "KASAN: %1 %2").needle(" on address"),
                    f(KASAN, "BUG: KASAN: (.*)", "KASAN: %1").corrupted(),
                    f(KMSAN, "BUG: KMSAN: kernel-usb-infoleak", "KMSAN: kernel-usb-infoleak in %2")
                            .report("BUG: KMSAN: kernel-usb-infoleak in {{FUNC}}")
                            .alt("KMSAN origin in %3")
                            .stack(stack(List.of(STACK, rx("(Local variable .* created at:|Uninit was created at:)"), STACK),
                                    "alloc_skb", "usb_submit_urb", "usb_start_wait_urb", "usb_bulk_msg",
                                    "usb_interrupt_msg", "usb_control_msg"))
                            .noStack(),
                    f(KMSAN, "BUG: KMSAN:", "KMSAN: %1 in %3")
                            .report("BUG: KMSAN: ([a-z\\-]+) in {{FUNC}}")
                            .alt("bad-access in %3")
                            .stack(stack(List.of(STACK, rx("(Local variable .* created at:|Uninit was created at:)"), STACK),
                                    "alloc_skb", "netlink_ack", "netlink_rcv_skb", "_encrypt$",
                                    "^(?:crypto|cipher|drbg|rng)_"))
                            .noStack(),
                    f(KCSAN, "BUG: KCSAN:", "KCSAN: %1").report("BUG: KCSAN: (.*)").noStack(),
                    f(KFENCE, "BUG: KFENCE: (use-after-free|out-of-bounds) (read|write) in {{FUNC}}", "KFENCE: %1 %2 in %4")
                            .alt("bad-access in %4")
                            .stack(stack(List.of(rx("BUG: KFENCE: (?:[a-z\\- ]+) in {{FUNC}}"), STACK))),
                    f(KFENCE, "BUG: KFENCE: invalid free in {{FUNC}}", "KFENCE: invalid free in %2")
                            .alt("invalid-free in %2").noStack()
                            .stack(stack(List.of(rx("BUG: KFENCE: (?:[a-z\\- ]+) in {{FUNC}}"), STACK))),
                    f(KFENCE, "BUG: KFENCE: invalid (read|write) in {{FUNC}}", "KFENCE: invalid %1 in %3")
                            .alt("bad-access in %3")
                            .stack(stack(List.of(rx("BUG: KFENCE: (?:[a-z\\- ]+) in {{FUNC}}"), STACK))),
                    f(KFENCE, "BUG: KFENCE: memory corruption in {{FUNC}}", "KFENCE: memory corruption in %2").noStack()
                            .stack(stack(List.of(rx("BUG: KFENCE: (?:[a-z\\- ]+) in {{FUNC}}"), STACK))),
                    f(PAGE_FAULT, "BUG: (?:unable to handle kernel paging request|unable to handle page fault for address|Unable to handle kernel data access)",
                            "BUG: unable to handle kernel paging request in %1")
                            .alt("bad-access in %1").stack(stack(RIP_THEN_TRACE)),
                    f(NULL_POINTER_DEREFERENCE, "BUG: (?:unable to handle kernel NULL pointer dereference|kernel NULL pointer dereference|Kernel NULL pointer dereference)",
                            "BUG: unable to handle kernel NULL pointer dereference in %1")
                            .alt("bad-access in %1").stack(stack(RIP_THEN_TRACE)),
                    f(PAGE_FAULT, "BUG: (?:unable to handle kernel|Unable to handle kernel)", "BUG: unable to handle kernel").corrupted(),
                    f(OTHER_BUG, "BUG: (spinlock|rwlock) (lockup suspected|already unlocked|recursion|cpu recursion|bad magic|wrong owner|wrong CPU|trylock failure on UP)",
                            "BUG: %1 %2 in %3").stack(stack(TRACE, "spin_", "_lock", "_unlock")),
                    f(SOFT_LOCKUP, "BUG: soft lockup", "BUG: soft lockup in %1").alt("stall in %1")
                            .stack(stall(RIP_THEN_TRACE)),
                    f(LOCKDEP, "BUG: .*still has locks held!", "BUG: still has locks held in %1")
                            .report("BUG: .*still has locks held!(?:.*\\n)+?.*{{PC}} +{{FUNC}}"),
                    f(SLEEPING_IN_ATOMIC, "BUG: scheduling while atomic", "BUG: scheduling while atomic in %1")
                            .stack(stack(TRACE, "schedule")),
                    f(LOCKDEP, "BUG: lock held when returning to user space", "BUG: lock held when returning to user space in %1")
                            .report("BUG: lock held when returning to user space(?:.*\\n)+?.*leaving the kernel with locks still held(?:.*\\n)+?.*at: (?:{{PC}} +)?{{FUNC}}")
                            .noStack(),
                    f(LOCKDEP, "BUG: bad unlock balance detected!", "BUG: bad unlock balance in %1")
                            .stack(stack(List.of(rx("{{PC}} +{{FUNC}}"), CALL_TRACE, STACK))),
                    f(LOCKDEP, "BUG: held lock freed!", "BUG: held lock freed in %1")
                            .report("BUG: held lock freed!(?:.*\\n)+?.*{{PC}} +{{FUNC}}"),
                    f(OTHER_BUG, "BUG: Bad rss-counter state", "BUG: Bad rss-counter state").noStack(),
                    f(OTHER_BUG, "BUG: non-zero nr_ptes on freeing mm", "BUG: non-zero nr_ptes on freeing mm").noStack(),
                    f(OTHER_BUG, "BUG: non-zero nr_pmds on freeing mm", "BUG: non-zero nr_pmds on freeing mm").noStack(),
                    f(OTHER_BUG, "BUG: Dentry .* still in use", "BUG: Dentry still in use in %1")
                            .report("BUG: Dentry .* still in use \\([0-9]+\\) \\[(unmount) of ([^\\]]+)\\]")
                            .alt("BUG: Dentry still in use [%1 of %2]"),
                    f(OTHER_BUG, "BUG: Bad page (state|cache)", "BUG: Bad page %1 in %2")
                            .stack(stack(List.of(rx("page last allocated"), STACK), "(free|put|get|update|release)_page",
                                    "free_unref", "^_*folio", "truncate_inode_pages", "page_frag_free", "alloc", "vmap",
                                    "page_owner")),
                    f(OTHER_BUG, "BUG: Bad page map", "BUG: Bad page map"),
                    f(OTHER_BUG, "BUG: workqueue lockup", "BUG: workqueue lockup").noStack(),
                    f(SLEEPING_IN_ATOMIC, "BUG: sleeping function called from invalid context at (.*)",
                            "BUG: sleeping function called from invalid context in %2").stack(stack(TRACE)),
                    f(OTHER_BUG, "BUG: using ([a-z_]+)\\(\\) in preemptible", "BUG: using %1() in preemptible code in %2")
                            .stack(stack(TRACE, "dump_stack", "preemption", "preempt", "debug_", "processor_id", "this_cpu")),
                    f(LOCKDEP, "BUG: workqueue leaked lock or atomic", "BUG: workqueue leaked lock or atomic in %1")
                            .report("BUG: workqueue leaked lock or atomic(?:.*\\n)+?.*last function: ([a-zA-Z0-9_]+)\\n")
                            .noStack(),
                    f(MEMORY_LEAK, "BUG: memory leak", "memory leak in %1")
                            .stack(stack(List.of(rx("backtrace(?: \\(crc [0-9a-fA-F]*\\))?:"), STACK), "kmemleak", "mmap",
                                    "kmem", "slab", "alloc", "create_object", "idr_get", "list_lru_init", "kasprintf",
                                    "kvasprintf", "pcpu_create", "strdup", "strndup", "memdup")),
                    f(STACK_OVERFLOW, "BUG: .*stack guard page was hit at", "BUG: stack guard page was hit in %1")
                            .alt("stack-overflow in %1").stack(stall(RIP_THEN_TRACE)),
                    f(LOCKDEP, "BUG: Invalid wait context", "WARNING: locking bug in %1")
                            .stack(stack(TRACE, "lock_sock", "release_sock")),
                    f(OTHER_BUG, "BUG:\\s*(?:\\n|$)", "BUG: corrupted").corrupted()),
                    "ODEBUG:", "Boot_DEBUG:", "xlog_status:", "DEBUG:", "BUG: no syscalls can create resource"),
            header("WARNING:", WARNING, List.of(
                    f(WARNING, "WARNING: .*lib/debugobjects\\.c.* (?:debug_print|debug_check|at)", "WARNING: ODEBUG bug in %1")
                            .stack(warning("debug_", "rcu", "hrtimer_", "timer_", "work_", "percpu_", "vunmap", "vfree",
                                    "__free_", "debug_check", "kobject_")),
                    f(WARNING, "WARNING: .*mm/usercopy\\.c.* (?:usercopy_warn|at)", "WARNING: bad usercopy in %1")
                            .stack(warning("usercopy", "__check")),
                    f(WARNING, "WARNING: .*lib/kobject\\.c.* (?:kobject_|at)", "WARNING: kobject bug in %1")
                            .stack(warning("kobject_")),
                    f(WARNING, "WARNING: .*fs/proc/generic\\.c.* (?:proc_register|at)", "WARNING: proc registration bug in %1")
                            .stack(warning("proc_")),
                    f(REFCOUNT, "WARNING: .*lib/refcount\\.c.* (?:refcount_|at)", "WARNING: refcount bug in %1")
                            .stack(warning("refcount", "kobject_")),
                    f(LOCKDEP, "WARNING: .*kernel/locking/lockdep\\.c.*lock_", "WARNING: locking bug in %1")
                            .stack(warning("lock_sock", "release_sock")),
                    f(LOCKDEP, "WARNING: .*still has locks held!", "WARNING: still has locks held in %1")
                            .report("WARNING: .*still has locks held!(?:.*\\n)+?.*at: {{FUNC}}"),
                    f(LOCKDEP, "WARNING: Nested lock was not taken", "WARNING: nested lock was not taken in %1")
                            .stack(warning()),
                    f(LOCKDEP, "WARNING: lock held when returning to user space", "WARNING: lock held when returning to user space in %1")
                            .report("WARNING: lock held when returning to user space(?:.*\\n)+?.*leaving the kernel with locks still held(?:.*\\n)+?.*at: (?:{{PC}} +)?{{FUNC}}")
                            .noStack(),
                    f(WARNING, "WARNING: .*mm/.*\\.c.* k?.?malloc", "WARNING: kmalloc bug in %1")
                            .stack(warning("kmalloc", "krealloc", "slab", "kmem")),
                    f(WARNING, "WARNING: .*mm/vmalloc.c.*__vmalloc_node", "WARNING: zero-size vmalloc in %1")
                            .stack(warning()),
                    f(WARNING, "WARNING: .* usb_submit_urb", "WARNING in %1/usb_submit_urb")
                            .stack(warning("usb_submit_urb", "usb_start_wait_urb", "usb_bulk_msg", "usb_interrupt_msg",
                                    "usb_control_msg")),
                    f(WARNING, "WARNING: {{SRC}} at 0x\\d+, CPU#\\d+", "WARNING in %2").stack(warning()),
                    f(WARNING, "WARNING: .* at {{SRC}} {{FUNC}}", "WARNING in %3").stack(warning()),
                    f(WARNING, "WARNING: {{SRC}} at {{FUNC}}", "WARNING in %3").stack(warning()),
                    f(WARNING, "WARNING: \\[.*\\] {{SRC}} at {{FUNC}}.*", "WARNING in %3").stack(warning()),
                    f(LOCKDEP, "WARNING: possible circular locking dependency detected", "possible deadlock in %1")
                            .report("WARNING: possible circular locking dependency detected(?:.*\\n)+?.*is trying to acquire lock")
                            .stack(stack(List.of(rx("at: (?:{{PC}} +)?{{FUNC}}"), rx("at: (?:{{PC}} +)?{{FUNC}}"), STACK),
                                    "process_one_work", "flush_workqueue", "drain_workqueue", "destroy_workqueue")),
                    f(LOCKDEP, "WARNING: possible irq lock inversion dependency detected", "possible deadlock in %1")
                            .report("WARNING: possible irq lock inversion dependency detected(?:.*\\n)+?.*just changed the state of lock(?:.*\\n)+?.*at: (?:{{PC}} +)?{{FUNC}}"),
                    f(LOCKDEP, "WARNING: .*-safe -> .*-unsafe lock order detected", "possible deadlock in %1")
                            .stack(stack(List.of(rx("which became (?:.*) at:"), STACK))),
                    f(LOCKDEP, "WARNING: possible recursive locking detected", "possible deadlock in %1")
                            .report("WARNING: possible recursive locking detected(?:.*\\n)+?.*is trying to acquire lock(?:.*\\n)+?.*at: (?:{{PC}} +)?{{FUNC}}"),
                    f(LOCKDEP, "WARNING: inconsistent lock state", "inconsistent lock state in %2")
                            .report("WARNING: inconsistent lock state(?:.*\\n)+?.*takes(?:.*\\n)+?.*at: (?:{{PC}} +)?{{FUNC}}")
                            .stack(stack(TRACE)),
                    f(LOCKDEP, "WARNING: suspicious RCU usage", "WARNING: suspicious RCU usage in %2")
                            .report("WARNING: suspicious RCU usage(?:.*\\n)+?.*?{{SRC}}")
                            .stack(stack(TRACE, "rcu", "kmem", "slab")),
                    f(WARNING, "WARNING: kernel stack regs at [0-9a-f]+ in [^ ]* has bad '([^']+)' value",
                            "WARNING: kernel stack regs has bad '%1' value").noStack(),
                    f(WARNING, "WARNING: kernel stack frame pointer at [0-9a-f]+ in [^ ]* has bad value",
                            "WARNING: kernel stack frame pointer has bad value").noStack(),
                    f(LOCKDEP, "WARNING: bad unlock balance detected!", "WARNING: bad unlock balance in %1")
                            .stack(stack(List.of(rx("{{PC}} +{{FUNC}}"), CALL_TRACE, STACK))),
                    f(LOCKDEP, "WARNING: held lock freed!", "WARNING: held lock freed in %1")
                            .report("WARNING: held lock freed!(?:.*\\n)+?.*at:(?: {{PC}})? +{{FUNC}}"),
                    f(WARNING, "WARNING: kernel stack regs .* has bad 'bp' value", "WARNING: kernel stack regs has bad value").noStack(),
                    f(WARNING, "WARNING: kernel stack frame pointer .* has bad value", "WARNING: kernel stack regs has bad value").noStack(),
                    f(WARNING, "WARNING:\\s*(?:\\n|$)", "WARNING: corrupted").corrupted()),
                    "WARNING: /etc/ssh/moduli does not exist, using fixed modulus",
                    "WARNING: workqueue cpumask: online intersect > possible intersect",
                    "WARNING: [Tt]he mand mount option",
                    "WARNING: Unsupported flag value\\(s\\) of 0x%x in DT_FLAGS_1",
                    "WARNING: Unprivileged eBPF is enabled with eIBRS",
                    "WARNING: fbcon: Driver '(.*)' missed to adjust virtual screen size",
                    "WARNING: See https.* for mitigation options.",
                    "WARNING: kernel not compiled with CPU_SRSO",
                    "EXT4-[Ff][Ss](?: \\(.*\\))?:",
                    "(?i)warning: .* uses (deprecated v2 capabilities|wireless extensions)",
                    "XFS \\(\\w+\\): WARNING"),
            header("INFO:", OTHER_BUG, List.of(
                    f(LOCKDEP, "INFO: possible circular locking dependency detected", "possible deadlock in %1")
                            .report("INFO: possible circular locking dependency detected \\](?:.*\\n)+?.*is trying to acquire lock(?:.*\\n)+?.*at: {{PC}} +{{FUNC}}"),
                    f(LOCKDEP, "INFO: possible irq lock inversion dependency detected", "possible deadlock in %1")
                            .report("INFO: possible irq lock inversion dependency detected \\](?:.*\\n)+?.*just changed the state of lock(?:.*\\n)+?.*at: {{PC}} +{{FUNC}}"),
                    f(LOCKDEP, "INFO: SOFTIRQ-safe -> SOFTIRQ-unsafe lock order detected", "possible deadlock in %1")
                            .report("INFO: SOFTIRQ-safe -> SOFTIRQ-unsafe lock order detected \\](?:.*\\n)+?.*is trying to acquire(?:.*\\n)+?.*at: {{PC}} +{{FUNC}}"),
                    f(LOCKDEP, "INFO: possible recursive locking detected", "possible deadlock in %1")
                            .report("INFO: possible recursive locking detected \\](?:.*\\n)+?.*is trying to acquire lock(?:.*\\n)+?.*at: {{PC}} +{{FUNC}}"),
                    f(LOCKDEP, "INFO: inconsistent lock state", "inconsistent lock state in %1")
                            .report("INFO: inconsistent lock state \\](?:.*\\n)+?.*takes(?:.*\\n)+?.*at: {{PC}} +{{FUNC}}"),
                    f(RCU_STALL, "INFO: rcu_(?:preempt|sched|bh|tasks) (?:self-)?detected(?: expedited)? stall",
                            "INFO: rcu detected stall in %1").alt("stall in %1")
                            .stack(stack(List.of(rx("apic_timer_interrupt"), RIP_FRAME, STACK),
                                    List.of(rx("(?:apic_timer_interrupt|Exception stack|el1h_64_irq)"), STACK),
                                    FrameChoosers.STALL, "apic_timer_interrupt", "rcu")),
                    f(LOCKDEP, "INFO: trying to register non-static key", "INFO: trying to register non-static key in %1")
                            .stack(stack(TRACE, "stack", "lock", "IRQ")),
                    f(LOCKDEP, "INFO: suspicious RCU usage", "INFO: suspicious RCU usage in %2")
                            .report("INFO: suspicious RCU usage(?:.*\\n)+?.*?{{SRC}}")
                            .stack(stack(TRACE, "rcu", "kmem", "slab")),
                    f(HUNG_TASK, "INFO: task {{TASK}} blocked (?:in I/O wait )?for more than [0-9]+ seconds",
                            "INFO: task hung in %1").alt("hang in %1").needle(" blocked ")
                            .stack(stack(TRACE, List.of(), FrameChoosers.HUNG_TASK)),
                    f(HUNG_TASK, "INFO: task {{TASK}} can't die for more than .* seconds", "INFO: task can't die in %1").needle("can't die")
                            .alt("hang in %1").stack(stack(TRACE, "schedule")),
                    f(KASAN, "INFO: (Freed|Allocated) in (.*)", "INFO: %1 in %2").corrupted(),
                    f(OTHER_BUG, "INFO:\\s*(?:\\n|$)", "INFO: corrupted").corrupted()),
                    "INFO: lockdep is turned off", "INFO: Stall ended before state dump start", "INFO: NMI handler",
                    "INFO: recovery required on readonly filesystem", "(handler|interrupt).*took too long",
                    "INFO: sys_.* is not present in /proc/kallsyms", "INFO: no syscalls can create resource",
                    "rmt_storage:INFO:", "_INFO:"),
            header("Unable to handle kernel", PAGE_FAULT, List.of(
                    f(PAGE_FAULT, "Unable to handle kernel (paging request|NULL pointer dereference|access to user memory)",
                            "BUG: unable to handle kernel %1 in %2").alt("bad-access in %2")
                            .stack(stack(RIP_THEN_TRACE)))),
            header("general protection fault", GENERAL_PROTECTION_FAULT, List.of(
                    f(GENERAL_PROTECTION_FAULT, "general protection fault.*:", "general protection fault in %1")
                            .alt("bad-access in %1").stack(stack(RIP_THEN_TRACE))),
                    "general protection fault .* error:\\d+ in "),
            header("stack segment: ", GENERAL_PROTECTION_FAULT, List.of(
                    f(GENERAL_PROTECTION_FAULT, "stack segment: ", "stack segment fault in %1").stack(stack(RIP_THEN_TRACE)))),
            header("Kernel panic", PANIC, List.of(
                    f(STACK_PROTECTOR, "Kernel panic - not syncing: stack-protector:", "kernel panic: stack is corrupted in %1")
                            .report("Kernel panic - not syncing: stack-protector: Kernel stack is corrupted in: {{FUNC}}")
                            .noStack(),
                    f(STACK_PROTECTOR, "Kernel panic - not syncing: stack-protector:", "kernel panic: stack is corrupted in %1")
                            .report("Kernel panic - not syncing: stack-protector: Kernel stack is corrupted in: [a-f0-9]+")
                            .stack(stack(TRACE, "stack_chk")),
                    f(STACK_OVERFLOW, "Kernel panic - not syncing: corrupted stack end", "kernel panic: corrupted stack end in %1")
                            .report("Kernel panic - not syncing: corrupted stack end detected inside scheduler")
                            .alt("stack-overflow in %1")
                            .stack(stall(TRACE, "schedule", "retint_kernel")),
                    f(STACK_OVERFLOW, "Kernel panic - not syncing: kernel stack overflow", "kernel stack overflow in %1")
                            .alt("stack-overflow in %1").stack(stall(TRACE, "bad_stack")),
                    f(PANIC, "Kernel panic - not syncing: Attempted to kill init!", "kernel panic: Attempted to kill init!"),
                    f(PANIC, "Kernel panic - not syncing: Couldn't open N_TTY ldisc for [^ ]+ --- error -[0-9]+",
                            "kernel panic: Couldn't open N_TTY ldisc"),
                    f(PANIC, "Kernel panic - not syncing: Fatal exception", "kernel panic: Fatal exception").corrupted(),
                    f(PANIC, "Kernel panic - not syncing: panic_on_warn set", "kernel panic: panic_on_warn set").corrupted(),
                    f(HUNG_TASK, "Kernel panic - not syncing: hung_task: blocked tasks", "kernel panic: hung_task: blocked tasks").corrupted(),
                    f(SYSRQ_CRASH, "Kernel panic - not syncing: sysrq triggered crash", "kernel panic: sysrq triggered crash"),
                    f(PANIC, "Kernel panic - not syncing: (.*)", "kernel panic: %1"))),
            header("PANIC: double fault", DOUBLE_FAULT, List.of(
                    f(DOUBLE_FAULT, "PANIC: double fault", "PANIC: double fault in %1")
                            .stack(stack(List.of(RIP_FRAME))))),
            // Rust code panicked; the message is the line after, the frames are demangled Rust names
            header("rust_kernel: panicked", RUST_PANIC, List.of(
                    f(RUST_PANIC, "rust_kernel: panicked", "%1 in %2")
                            .report("rust_kernel: panicked at [^\\n]*?\\n(.+?)\\n")
                            .stack(stack(TRACE, "__rustc::rust_begin_unwind")))),
            header("kernel BUG", KERNEL_BUG, List.of(
                    f(OTHER_BUG, "kernel BUG at mm/usercopy.c", "BUG: bad usercopy in %1")
                            .stack(stack(TRACE, "usercopy", "__check")),
                    f(LIST_CORRUPTION, "kernel BUG at lib/list_debug.c", "BUG: corrupted list in %1")
                            .alt("bad-access in %1").stack(stack(TRACE)),
                    f(KERNEL_BUG, "kernel BUG at (.*)", "kernel BUG in %2").stack(stack(RIP_THEN_TRACE, "^skb_")))),
            header("Kernel BUG", KERNEL_BUG, List.of(f(KERNEL_BUG, "Kernel BUG (.*)", "kernel BUG %1"))),
            header("BUG kmalloc-", OTHER_BUG, List.of(
                    f(OTHER_BUG, "BUG kmalloc-.*: Object already free", "BUG: Object already free"))),
            header("divide error:", DIVIDE_ERROR, List.of(
                    f(DIVIDE_ERROR, "divide error: ", "divide error in %1").stack(stack(List.of(RIP_FRAME))))),
            header("divide_error:", DIVIDE_ERROR, List.of(
                    f(DIVIDE_ERROR, "divide_error: ", "divide error in %1").stack(stack(List.of(RIP_FRAME))))),
            header("invalid opcode:", INVALID_OPCODE, List.of(
                    f(INVALID_OPCODE, "invalid opcode: ", "invalid opcode in %1").stack(stack(List.of(RIP_FRAME))))),
            header("int3:", OOPS, List.of(f(OOPS, "int3: ", "int3 in %1").stack(stack(RIP_THEN_TRACE)))),
            header("UBSAN:", UBSAN, List.of(
                    f(UBSAN, "UBSAN:", "UBSAN: undefined-behaviour in %1").report("UBSAN: Undefined behaviour in")
                            .stack(stack(TRACE, "ubsan", "overflow")),
                    f(UBSAN, "UBSAN: array-index-out-of-bounds in", "UBSAN: array-index-out-of-bounds in %1")
                            .alt("bad-access in %1").stack(stack(TRACE, "ubsan", "overflow")),
                    f(UBSAN, "UBSAN:", "UBSAN: %1 in %2").report("UBSAN: (.*?) in")
                            .stack(stack(TRACE, "ubsan", "overflow")))),
            header("Booting the kernel.", UNEXPECTED_REBOOT, List.of(
                    f(UNEXPECTED_REBOOT, "^Booting the kernel", "unexpected kernel reboot").noStack()),
                    "Parsing ELF|Decompressing Linux|Unknown parameter '"),
            header("unregister_netdevice: waiting for", HUNG_TASK, List.of(
                    f(HUNG_TASK, "unregister_netdevice: waiting for (?:.*) to become free",
                            "unregister_netdevice: waiting for DEV to become free").noStack())),
            header("VFS: Close: file count is 0", OTHER_BUG, List.of(
                    f(OTHER_BUG, "VFS: Close: file count is 0", "VFS: Close: file count is zero (use-after-free)").noStack())),
            header("VFS: Busy inodes after unmount", OTHER_BUG, List.of(
                    f(OTHER_BUG, "VFS: Busy inodes after unmount", "VFS: Busy inodes after unmount (use-after-free)").noStack())),
            header("Internal error:", OOPS, List.of(
                    f(OOPS, "Internal error:", "Internal error in %1").alt("bad-access in %1").stack(stack(RIP_THEN_TRACE)))),
            header("Unhandled fault:", PAGE_FAULT, List.of(
                    f(PAGE_FAULT, "Unhandled fault:", "Unhandled fault in %1").alt("bad-access in %1").stack(stack(RIP_THEN_TRACE)))),
            header("Alignment trap:", OOPS, List.of(
                    f(OOPS, "Alignment trap:", "Alignment trap in %1").stack(stack(RIP_THEN_TRACE)))),
            header("trusty: panic", PANIC, List.of(
                    f(PANIC, "trusty: panic.* ASSERT FAILED", "trusty: ASSERT FAILED: %1")
                            .report("trusty: panic \\(.*?\\):(?: DEBUG)? ASSERT FAILED at \\(.*?\\): (.+)").noStack(),
                    f(PANIC, "trusty: panic.* ASSERT FAILED.*: *(.*)", "trusty: ASSERT FAILED: %1").corrupted(),
                    f(PANIC, "trusty: panic", "trusty: panic: %1").report("trusty: panic \\(.*?\\): (.+)").noStack())),
            header("fatal error:", OTHER_BUG, List.of(f(OTHER_BUG, "fatal error:", "go runtime error").noStack()),
                    "ALSA", "fatal error: cannot create timer"),
            header("SYZFAIL:", OTHER_BUG, List.of(f(OTHER_BUG, "SYZFAIL:(.*)", "SYZFAIL:%1").noStack())),
            header("SYZFATAL:", OTHER_BUG, List.of(f(OTHER_BUG, "SYZFATAL:(.*)()", "SYZFATAL:%1").alt("SYZFATAL%2").noStack())),
            header("panic:", PANIC, List.of(
                    f(PANIC, "panic: Sentry detected .* stuck task", "panic: Sentry detected stuck tasks").noStack(),
                    f(PANIC, "panic:(.*)", "panic:%1").noStack()),
                    "_panic:", "xlog_status:", "ddb\\.onpanic:", "evtlog_status:"),
            // Beyond syzkaller: crashes it leaves to other tools.
            header("Watchdog detected hard LOCKUP", HARD_LOCKUP, List.of(
                    f(HARD_LOCKUP, "Watchdog detected hard LOCKUP", "BUG: hard lockup in %1").alt("stall in %1")
                            .stack(stall(RIP_THEN_TRACE)))),
            header("invoked oom-killer:", OUT_OF_MEMORY, List.of(
                    f(OUT_OF_MEMORY, "(\\S+) invoked oom-killer:", "out of memory: oom-killer invoked by %1").noStack())),
            header("Oops: ", OOPS, List.of(
                    f(OOPS, "Oops: [0-9a-f]+ \\[#[0-9]+\\]", "Oops in %1").stack(stack(RIP_THEN_TRACE)))));
}
