package org.kernelrig.crash;

import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/** Frame choosers for stalls and hangs, where the first frame is rarely the culprit. */
final class FrameChoosers {

    private FrameChoosers() {
    }

    /**
     * Entry points (syscalls, work items, timers, softirqs, kthreads): in a stall the frame just
     * above the entry point names the work that did not finish.
     */
    private static final FrameFilter STALL_ANCHORS = new FrameFilter(Pattern.compile(String.join("|", List.of(
            "process_one_work", "do_syscall_", "do_fast_syscall_", "sysenter_dispatch", "tracesys_phase2",
            "el0_svc_handler", "invoke_syscall", "ret_fast_syscall", "netif_receive_skb", "do_softirq",
            "call_timer_fn", "_run_timers", "run_timer_softirq", "hrtimer_run", "run_ksoftirqd",
            "smpboot_thread_fn", "^kthread$", "start_secondary", "cpu_startup_entry", "ret_from_fork", "vfs_write",
            "vfs_read", "vfs_iter_read", "vfs_iter_write", "do_iter_read", "do_iter_write", "call_read_iter",
            "call_write_iter", "new_sync_read", "new_sync_write", "vfs_ioctl", "ksys_ioctl", "compat_ioctl",
            "compat_sys_ioctl", "blkdev_driver_ioctl", "blkdev_ioctl", "do_iter_readv_writev", "^call_mmap",
            "mmap_region", "do_mmap", "do_dentry_open", "vfs_open", "^sock_sendmsg", "^sock_recvmsg",
            "^sock_release", "^__sock_release", "^setsockopt$", "kernel_setsockopt", "sock_common_setsockopt",
            "^listen$", "kernel_listen", "sk_common_release", "^sock_mmap", "^accept$", "kernel_accept",
            "^sock_do_ioctl", "^sock_ioctl", "^compat_sock_ioctl", "^nfnetlink_rcv_msg", "^rtnetlink_rcv_msg",
            "^netlink_dump", "^(sys_)?(socketpair|connect|ioctl)", "__do_fault", "do_page_fault", "^page_fault$",
            "__fput", "task_work_run", "exit_to_usermode", "smp_call_function", "tasklet_action",
            "tasklet_hi_action"))));

    static final StackRule.FrameChooser STALL = (frames, renamed) -> {
        if (frames.isEmpty()) {
            return -1;
        }
        int previous = 0;
        for (int i = 0; i < frames.size(); i++) {
            String frame = frames.get(i);
            if (STALL_ANCHORS.skips(frame)) {
                if (frame.contains("smp_call_function")) {
                    renamed[0] = "smp_call_function";
                    return i;
                }
                return previous;
            }
            previous = i;
        }
        return -1;
    };

    private static final Map<String, String> HANG_ANCHORS = Map.of("rtnl_lock", "", "synchronize_rcu",
            "synchronize_rcu", "synchronize_srcu", "synchronize_rcu", "synchronize_net", "synchronize_rcu",
            "synchronize_sched", "synchronize_rcu");
    private static final List<String> HANG_ANCHOR_ORDER = List.of("rtnl_lock", "synchronize_rcu", "synchronize_srcu",
            "synchronize_net", "synchronize_sched");
    private static final List<String> HANG_SKIP = List.of("sched", "_lock", "_slowlock", "down", "rwsem",
            "completion", "kthread", "wait", "synchronize", "context_switch", "__switch_to", "cancel_delayed_work",
            "rcu_barrier");

    /** A hung task waits on a lock or a completion: blame the first frame that is not waiting. */
    static final StackRule.FrameChooser HUNG_TASK = (frames, renamed) -> {
        for (int i = 0; i < frames.size(); i++) {
            for (String anchor : HANG_ANCHOR_ORDER) {
                if (frames.get(i).contains(anchor)) {
                    String replacement = HANG_ANCHORS.get(anchor);
                    if (!replacement.isEmpty()) {
                        renamed[0] = replacement;
                    }
                    return i;
                }
            }
        }
        next:
        for (int i = 0; i < frames.size(); i++) {
            for (String skip : HANG_SKIP) {
                if (frames.get(i).contains(skip)) {
                    continue next;
                }
            }
            return i;
        }
        return -1;
    };
}
