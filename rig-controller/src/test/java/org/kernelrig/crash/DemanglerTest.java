package org.kernelrig.crash;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class DemanglerTest {

    private static void demangles(String symbol, String expected) {
        assertEquals(expected, Demangler.demangle(symbol), symbol);
    }

    private static void keeps(String symbol) {
        assertEquals(symbol, Demangler.demangle(symbol));
    }

    @Test
    void framesOfRealRustPanics() {
        demangles("_RNvMs3_NtCshgDM7dBCdno_11rust_binder7processNtB5_7Process10update_ref",
                "<rust_binder::process::Process>::update_ref");
        demangles("_RNvXs1_CscPPBqWtAqum_11ashmem_rustNtB5_6AshmemNtNtCs43vyB533jt3_6kernel10miscdevice10MiscDevice4mmap",
                "<ashmem_rust::Ashmem as kernel::miscdevice::MiscDevice>::mmap");
        // an identifier that starts with an underscore is written after a separating one
        demangles("_RNvCscSpY9Juk0HT_7___rustc17rust_begin_unwind", "__rustc::rust_begin_unwind");
        demangles("_RNvNtNtCs9jEwPDbx20M_4core9panicking11panic_const24panic_const_sub_overflow",
                "core::panicking::panic_const::panic_const_sub_overflow");
        demangles("_RNvXs1b_NtCs9jEwPDbx20M_4core3fmtRNtNtNtB8_5panic10panic_info9PanicInfoNtB6_7Display3fmtCs43vyB533jt3_6kernel",
                "<&core::panic::panic_info::PanicInfo as core::fmt::Display>::fmt");
    }

    @Test
    void v0PathsClosuresAndShims() {
        demangles("_RNvCs1234_7mycrate3foo", "mycrate::foo");
        demangles("_RNvNtC7mycrate6module3foo", "mycrate::module::foo");
        demangles("_RNCNvCs1234_7mycrate4main0B3_", "mycrate::main::{closure#0}");
        demangles("_RNCNvCs1234_7mycrate4mains_0", "mycrate::main::{closure#1}");
        demangles("_RNSNvC7mycrate3foo6vtable", "mycrate::foo::{shim:vtable#0}");
        demangles("_R0NvC7mycrate3foo", "mycrate::foo");
    }

    @Test
    void v0GenericArgumentsAndTypes() {
        demangles("_RINvNtC3std3mem8align_ofdE", "std::mem::align_of::<f64>");
        demangles("_RNvMCs1_4coreINtB2_3VecmE3new", "<core::Vec<u32>>::new");
        demangles("_RNvXCs1_3fooRShNtB2_3Bar3baz", "<&[u8] as foo::Bar>::baz");
        demangles("_RINvCs1_3foo3barTmlEQhPaOuTmEAhj4_E",
                "foo::bar::<(u32, i32), &mut u8, *const i8, *mut (), (u32,), [u8; 4]>");
        demangles("_RINvCs1_3foo3barKj10_Kb1_Kc61_Kan6_KpE", "foo::bar::<16, true, 'a', -6, _>");
        demangles("_RINvCs1_3foo3barFUKCmEuFhEmE", "foo::bar::<unsafe extern \"C\" fn(u32), fn(u8) -> u32>");
        demangles("_RINvCs1_3foo3barDNtB2_5TraitEL_E", "foo::bar::<dyn foo::Trait>");
        demangles("_RINvCs1_3foo3barFG_RL0_hEuE", "foo::bar::<for<'a> fn(&'a u8)>");
    }

    @Test
    void legacyRustNamesLoseTheirHashAndEscapes() {
        demangles("_ZN4core3fmt5write17h0123456789abcdefE", "core::fmt::write");
        demangles("_ZN60_$LT$alloc..vec..Vec$LT$T$GT$$u20$as$u20$core..ops..Drop$GT$4drop17h5f2a3b4c6d7e8f90E",
                "<alloc::vec::Vec<T> as core::ops::Drop>::drop");
        demangles("_ZN4core3fmt5write17h0123456789abcdefE.llvm.12", "core::fmt::write.llvm.12");
    }

    @Test
    void cxxNamesLoseTheirParameters() {
        demangles("_Z8fakeNameiii", "fakeName");
        demangles("_ZN3foo3barEv", "foo::bar");
        demangles("_ZN3foo3barE", "foo::bar");
        demangles("_ZN3foo5h0123E", "foo::h0123");
    }

    @Test
    void namesThatAreNotMangledOrNotUnderstoodComeBackUnchanged() {
        keeps("update_ref");
        keeps("_raw_spin_lock");
        keeps("__cfi__RNvCs1_3foo3bar");
        keeps("_R");
        keeps("_Zfoo");
        keeps("_ZNSt6vectorIiE9push_backEv");
        keeps("_RNvCs1_3foo"); // cut short
        keeps("_RNvCs1_3foo3barX"); // something left over
        keeps("_RNvCu5caf_s3foo"); // punycode
        keeps("_RB_"); // a back reference to itself
        keeps("_RNvB0_3foo"); // a back reference into the middle of a production
        keeps("_RINvC1a1b" + "h".repeat(300) + "E"); // too long a name
        keeps("_RNvC3foo" + "N".repeat(50)); // deep and broken
    }

    @Test
    void anyDamageToANameEndsInTheNameUnchangedOrDemangledNeverInAnError() {
        String[] symbols = {"_RNvXs1_CscPPBqWtAqum_11ashmem_rustNtB5_6AshmemNtNtCs43vyB533jt3_6kernel10miscdevice10MiscDevice4mmap",
            "_RINvCs1_3foo3barTmlEQhPaOuTmEAhj4_E", "_RINvCs1_3foo3barKj10_Kb1_Kc61_Kan6_KpE",
            "_RINvCs1_3foo3barFG_RL0_hEuE", "_RINvCs1_3foo3barDNtB2_5TraitEL_E",
            "_ZN60_$LT$alloc..vec..Vec$LT$T$GT$$u20$as$u20$core..ops..Drop$GT$4drop17h5f2a3b4c6d7e8f90E"};
        String alphabet = "_RNvMXYICBsuLKEGFUDTSAQPOpn0123456789abcdefhijlmotxyz$.";
        java.util.Random random = new java.util.Random(2603);
        for (int n = 0; n < 50_000; n++) {
            StringBuilder s = new StringBuilder(symbols[random.nextInt(symbols.length)]);
            for (int edits = 1 + random.nextInt(3); edits > 0; edits--) {
                int at = 2 + random.nextInt(s.length() - 2);
                switch (random.nextInt(3)) {
                    case 0 -> s.setCharAt(at, alphabet.charAt(random.nextInt(alphabet.length())));
                    case 1 -> s.insert(at, alphabet.charAt(random.nextInt(alphabet.length())));
                    default -> s.setLength(Math.max(3, at));
                }
            }
            String damaged = s.toString();
            String result = Demangler.demangle(damaged);
            assertTrue(result.length() <= 2000, damaged);
        }
    }

    @Test
    void aSuffixStaysBehindTheName() {
        demangles("_RNvCs1_3foo3bar.cold", "foo::bar.cold");
    }
}
