package org.kernelrig.crash;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

class CrashAnalyzerTest {

    private static List<String> log(String name) throws Exception {
        return LogCase.read(KernelLogCasesTest.folder().resolve(name)).log();
    }

    private static List<String> stamped(double start, String... lines) {
        List<String> out = new ArrayList<>();
        double t = start;
        for (String line : lines) {
            out.add(String.format("[%12.6f] %s", t, line));
            t += 0.000417;
        }
        return out;
    }

    @Test
    void theLineThatEndsACrashSaysSoAndNoOtherDoes() throws Exception {
        List<String> lines = log("debian-6.1-x86_64-sysrq-panic.log");
        CrashAnalyzer analyzer = new CrashAnalyzer();
        int completedAt = -1;
        for (String line : lines) {
            List<Crash> completed = analyzer.accept(line);
            if (!completed.isEmpty()) {
                assertEquals(-1, completedAt, "completed twice");
                completedAt = analyzer.lineCount();
                assertTrue(completed.get(0).complete());
                assertEquals("kernel panic: sysrq triggered crash", completed.get(0).title());
            }
        }
        assertEquals(lines.size(), completedAt);
        assertTrue(lines.get(completedAt - 1).contains("---[ end Kernel panic - not syncing: sysrq triggered crash ]---"));
    }

    @Test
    void rustFramesAreShownDemangledAndTheBugThatStopsAPanicBelongsToIt() throws Exception {
        List<Crash> crashes = CrashAnalyzer.analyze(log("rust-6.12-x86_64-rnull-panic.log"));
        assertEquals(1, crashes.size());
        List<String> frames = crashes.get(0).frames().stream().map(StackFrame::toString).toList();
        assertEquals(List.of("__rustc::rust_begin_unwind+0x15b/0x160", "core::panicking::panic_fmt+0x84/0x90",
                "core::panicking::panic_const::panic_const_div_by_zero+0x2e/0x30",
                "<rnull::NullBlkDevice as kernel::block::mq::Operations>::queue_rq+0x1d1/0x1e0 [rnull_mod]",
                "<kernel::block::mq::OperationsVTable<rnull::NullBlkDevice>>::queue_rq_callback+0x4b/0x90 [rnull_mod]",
                "blk_mq_dispatch_rq_list+0x17b/0x7a0"), frames.subList(0, 6));
    }

    @Test
    void aCrashCutShortIsIncompleteUntilItsEndArrives() throws Exception {
        List<String> lines = log("debian-6.1-x86_64-lkdtm-bug.log");
        int end = 0;
        while (!lines.get(end).contains("---[ end trace")) {
            end++;
        }
        CrashAnalyzer analyzer = new CrashAnalyzer();
        for (String line : lines.subList(0, end)) {
            assertTrue(analyzer.accept(line).isEmpty());
        }
        Crash partial = analyzer.crashes().get(0);
        assertFalse(partial.complete());
        assertEquals("kernel BUG in lkdtm_BUG", partial.title());
        List<Crash> completed = analyzer.accept(lines.get(end));
        assertEquals(1, completed.size());
        assertEquals(end + 1, completed.get(0).lastLine());
    }

    @Test
    void aPanicCausedByAnOopsBelongsToThatOops() throws Exception {
        List<String> lines = new ArrayList<>(log("debian-6.1-x86_64-lkdtm-exception.log"));
        lines.addAll(stamped(300, "Kernel panic - not syncing: Fatal exception",
                "Kernel Offset: 0x1a000000 from 0xffffffff81000000 (relocation range: 0xffffffff80000000-0xffffffffbfffffff)",
                "---[ end Kernel panic - not syncing: Fatal exception ]---"));
        CrashAnalyzer analyzer = new CrashAnalyzer();
        List<Integer> completions = new ArrayList<>();
        for (String line : lines) {
            if (!analyzer.accept(line).isEmpty()) {
                completions.add(analyzer.lineCount());
            }
        }
        List<Crash> crashes = analyzer.finish();
        assertEquals(1, crashes.size());
        Crash crash = crashes.get(0);
        assertEquals(CrashKind.NULL_POINTER_DEREFERENCE, crash.kind());
        assertTrue(crash.panicked());
        assertEquals("Fatal exception", crash.panicReason());
        assertEquals(lines.size(), crash.lastLine());
        // once at ---[ end trace, again at ---[ end Kernel panic
        assertEquals(2, completions.size());
        assertEquals(lines.size(), completions.get(1));
    }

    @Test
    void aLaterUnrelatedPanicIsACrashOfItsOwn() throws Exception {
        List<String> lines = new ArrayList<>(log("debian-6.1-x86_64-lkdtm-warning.log"));
        for (int i = 0; i < 300; i++) {
            lines.add(String.format("[%12.6f] systemd[1]: Started session-%d.scope.", 200.0 + i, i));
        }
        lines.addAll(log("debian-6.1-x86_64-sysrq-panic.log"));
        List<Crash> crashes = CrashAnalyzer.analyze(lines);
        assertEquals(List.of("WARNING in lkdtm_WARNING", "kernel panic: sysrq triggered crash"),
                crashes.stream().map(Crash::title).toList());
        assertFalse(crashes.get(0).panicked());
        assertTrue(crashes.get(1).panicked());
        assertEquals(CrashKind.SYSRQ_CRASH, crashes.get(1).kind());
    }

    @Test
    void callerIdsSeparateInterleavedReports() {
        List<String> lines = List.of(
                "[   10.000001][ T100] ------------[ cut here ]------------",
                "[   10.000002][ T100] WARNING: CPU: 0 PID: 100 at fs/foo.c:10 foo_write+0x10/0x20",
                "[   10.000003][ T200] BUG: kernel NULL pointer dereference, address: 0000000000000008",
                "[   10.000004][ T100] RIP: 0010:foo_write+0x10/0x20",
                "[   10.000005][ T200] Oops: 0000 [#1] PREEMPT SMP",
                "[   10.000006][ T200] RIP: 0010:bar_read+0x4/0x30",
                "[   10.000007][ T100] Call Trace:",
                "[   10.000008][ T200] Call Trace:",
                "[   10.000009][ T100]  vfs_write+0xc7/0x3f0",
                "[   10.000010][ T200]  vfs_read+0x1/0x2",
                "[   10.000011][ T100]  ksys_write+0x6b/0xf0",
                "[   10.000012][ T200]  ksys_read+0x6b/0xf0",
                "[   10.000013][ T100] ---[ end trace 0000000000000000 ]---",
                "[   10.000014][ T200] ---[ end trace 0000000000000000 ]---");
        List<Crash> crashes = CrashAnalyzer.analyze(lines);
        assertEquals(2, crashes.size());
        assertEquals("WARNING in foo_write", crashes.get(0).title());
        assertEquals("BUG: unable to handle kernel NULL pointer dereference in bar_read", crashes.get(1).title());
        assertEquals(List.of("vfs_write", "ksys_write"),
                crashes.get(0).frames().stream().map(StackFrame::function).toList());
        assertEquals(13, crashes.get(0).lastLine());
        assertEquals(14, crashes.get(1).lastLine());
        assertTrue(crashes.get(0).complete() && crashes.get(1).complete());
    }

    @Test
    void aHeaderCutShortAndReplayedIsOneCrash() {
        List<String> lines = List.of(
                "[  584.319520][   T31] INFO: t",
                "** replaying previous printk message **",
                "[  584.319520][   T31] INFO: task udevd:5612 blocked for more than 143 seconds.",
                "[  584.319554][   T31] Call Trace:",
                "[  584.319554][   T31]  <TASK>",
                "[  584.319554][   T31]  __schedule+0x1/0x2",
                "[  584.319554][   T31]  io_schedule+0x1/0x2",
                "[  584.319554][   T31]  folio_wait_bit_common+0x1/0x2",
                "[  584.319554][   T31]  read_cache_folio+0x1/0x2",
                "[  584.319554][   T31]  </TASK>");
        List<Crash> crashes = CrashAnalyzer.analyze(lines);
        assertEquals(1, crashes.size());
        assertEquals("INFO: task hung in read_cache_folio", crashes.get(0).title());
        assertEquals(3, crashes.get(0).firstLine());
        assertTrue(crashes.get(0).complete());
    }

    @Test
    void aReportInterruptedByAnotherInTheSameTaskTakesItsStack() {
        List<String> lines = List.of(
                "[ 1078.042081][ T3315] WARNING: Nested lock was not taken",
                "[ 1078.047725][ T3315] syz-executor253/3315 is trying to lock:",
                "[ 1078.053131][ T3315] Unable to handle kernel paging request at virtual address 0000000100000017",
                "[ 1078.069103][ T3315] Internal error: Oops: 0000000096000005 [#1] PREEMPT SMP",
                "[ 1078.078660][ T3315] pc : __lock_acquire+0x7cc/0x30a4",
                "[ 1078.081181][ T3315] Call trace:",
                "[ 1078.081181][ T3315]  __lock_acquire+0x7cc/0x30a4",
                "[ 1078.081181][ T3315]  lock_acquire+0x1/0x2",
                "[ 1078.081181][ T3315]  _raw_spin_lock+0x1/0x2",
                "[ 1078.081181][ T3315]  evict+0x90/0x334",
                "[ 1078.081181][ T3315] ---[ end trace 0000000000000000 ]---");
        List<Crash> crashes = CrashAnalyzer.analyze(lines);
        assertEquals(List.of("WARNING: nested lock was not taken in evict",
                "BUG: unable to handle kernel paging request in evict"),
                crashes.stream().map(Crash::title).toList());
        assertEquals(2, crashes.get(0).lastLine(), "the interrupted report ends where the next begins");
        assertTrue(crashes.get(1).complete());
    }

    @Test
    void theFingerprintIgnoresTimesAddressesPidsAndCpus() throws Exception {
        List<String> first = log("debian-6.1-x86_64-lkdtm-warning.log");
        List<String> second = new ArrayList<>();
        for (String line : first) {
            second.add(line.replace("[  101.", "[ 2345.").replace("PID: 660", "PID: 1234").replace("CPU: 0", "CPU: 3")
                    .replace("ffffb0a1c06b3dc8", "ffffa1b2c3d4e5f6").replace("+0x7d/0xc0", "+0x81/0xc0"));
        }
        assertNotEquals(first, second);
        Crash a = CrashAnalyzer.analyze(first).get(0);
        Crash b = CrashAnalyzer.analyze(second).get(0);
        assertEquals(a.fingerprint(), b.fingerprint());
        Crash other = CrashAnalyzer.analyze(log("debian-6.1-x86_64-lkdtm-bug.log")).get(0);
        assertNotEquals(a.fingerprint(), other.fingerprint());
        assertEquals(16, a.fingerprint().length());
    }

    @Test
    void anOutOfMemoryKillIsReported() {
        List<String> lines = stamped(500,
                "stress-ng invoked oom-killer: gfp_mask=0x140cca(GFP_HIGHUSER_MOVABLE|__GFP_COMP), order=0, oom_score_adj=1000",
                "CPU: 1 PID: 900 Comm: stress-ng Not tainted 6.1.0-26-amd64 #1  Debian 6.1.112-1",
                "Hardware name: QEMU Standard PC (i440FX + PIIX, 1996), BIOS 1.16.2-debian-1.16.2-1 04/01/2014",
                "Call Trace:", " <TASK>", " dump_stack_lvl+0x44/0x5c", " dump_header+0x4a/0x211",
                " oom_kill_process.cold+0xb/0x10", " out_of_memory+0x1fd/0x4c0",
                " __alloc_pages_slowpath.constprop.0+0xcac/0xe20", " __alloc_pages+0x305/0x330",
                " folio_alloc+0x17/0x50", " __filemap_get_folio+0x155/0x340", " filemap_fault+0x139/0x910",
                " __do_fault+0x31/0x80", " do_fault+0x1b9/0x410", " __handle_mm_fault+0x660/0xfa0",
                " handle_mm_fault+0xdb/0x2d0", " do_user_addr_fault+0x191/0x570", " exc_page_fault+0x70/0x170",
                " asm_exc_page_fault+0x22/0x30", "RIP: 0033:0x55d0e1c1f6a0",
                "RSP: 002b:00007ffc8c3d1f50 EFLAGS: 00010206", " </TASK>", "Mem-Info:",
                "active_anon:1712 inactive_anon:481960 isolated_anon:0",
                "Out of memory: Killed process 900 (stress-ng) total-vm:2109184kB, anon-rss:1927000kB, file-rss:4kB, "
                        + "shmem-rss:0kB, UID:0 pgtables:3824kB oom_score_adj:1000");
        List<Crash> crashes = CrashAnalyzer.analyze(lines);
        assertEquals(1, crashes.size());
        Crash crash = crashes.get(0);
        assertEquals(CrashKind.OUT_OF_MEMORY, crash.kind());
        assertEquals("out of memory: oom-killer invoked by stress-ng", crash.title());
        assertEquals("filemap_fault", crash.guiltyFrame());
        assertTrue(crash.complete());
        assertEquals(24, crash.lastLine(), "the </TASK> that ends the stack dump");
        assertFalse(crash.panicked());
    }

    @Test
    void aHardLockupIsReportedWithItsPanic() {
        List<String> lines = stamped(42, "NMI watchdog: Watchdog detected hard LOCKUP on cpu 1",
                "Modules linked in: lkdtm",
                "CPU: 1 PID: 700 Comm: bash Not tainted 6.1.0-26-amd64 #1  Debian 6.1.112-1",
                "RIP: 0010:lkdtm_HARDLOCKUP+0x9/0x10 [lkdtm]", "Call Trace:", " <TASK>",
                " lkdtm_do_action+0x15/0x30 [lkdtm]", " direct_entry+0xa2/0xf0 [lkdtm]", " full_proxy_write+0x5c/0x80",
                " vfs_write+0xc7/0x3f0", " ksys_write+0x6b/0xf0", " do_syscall_64+0x58/0xc0",
                " entry_SYSCALL_64_after_hwframe+0x64/0xce", " </TASK>", "Kernel panic - not syncing: Hard LOCKUP",
                "Kernel Offset: disabled", "---[ end Kernel panic - not syncing: Hard LOCKUP ]---");
        List<Crash> crashes = CrashAnalyzer.analyze(lines);
        assertEquals(1, crashes.size());
        assertEquals(CrashKind.HARD_LOCKUP, crashes.get(0).kind());
        assertEquals("BUG: hard lockup in full_proxy_write", crashes.get(0).title());
        assertTrue(crashes.get(0).panicked());
        assertEquals("Hard LOCKUP", crashes.get(0).panicReason());
        assertEquals(lines.size(), crashes.get(0).lastLine());
    }

    @Test
    void aLogWithoutCrashHasNone() {
        List<String> lines = stamped(1, "Linux version 6.1.0-26-amd64 (debian-kernel@lists.debian.org)",
                "WARNING: /etc/ssh/moduli does not exist, using fixed modulus",
                "INFO: lockdep is turned off.", "EXT4-fs (sda1): WARNING: mounting fs with errors",
                "systemd[1]: Started Journal Service.");
        assertTrue(CrashAnalyzer.analyze(lines).isEmpty());
        assertTrue(CrashAnalyzer.analyze(List.of()).isEmpty());
    }

    @Test
    void anUnclassifiedBugKeepsItsOwnLineAsTitle() {
        List<Crash> crashes = CrashAnalyzer.analyze(stamped(5, "BUG: frobnicator 42 went away",
                "CPU: 0 PID: 1 Comm: swapper/0 Not tainted 6.1.0 #1"));
        assertEquals("BUG: frobnicator NUM went away", crashes.get(0).title());
        assertEquals(CrashKind.OTHER_BUG, crashes.get(0).kind());
        assertNull(crashes.get(0).guiltyFrame());
    }

    @Test
    void hugeInputsStayBounded() {
        CrashAnalyzer analyzer = new CrashAnalyzer();
        analyzer.accept("[    1.000000] BUG: soft lockup - CPU#0 stuck for 22s! [a:1]");
        analyzer.accept("[    1.000001] Call Trace:");
        for (int i = 0; i < 50_000; i++) {
            analyzer.accept("[    1.000002]  <IRQ>");
        }
        Crash crash = analyzer.finish().get(0);
        assertTrue(crash.report().size() <= OpenCrash.MAX_REPORT_LINES);
    }
}
