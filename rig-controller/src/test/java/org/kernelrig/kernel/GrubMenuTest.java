package org.kernelrig.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.api.Test;

/** The grub-reboot entry of one kernel, in the menu Debian's update-grub writes. */
class GrubMenuTest {

    /** The shape of Debian 12's /boot/grub/grub.cfg (10_linux), trimmed to its menu. */
    static final String DEBIAN = """
            ### BEGIN /etc/grub.d/10_linux ###
            function gfxmode {
            	set gfxpayload="${1}"
            }
            menuentry 'Debian GNU/Linux' --class debian --class gnu-linux --class gnu --class os $menuentry_id_option 'gnulinux-simple-5a1c7a52-08f4-4b5c-9f4e-0f1e5a6f8b1d' {
            	load_video
            	linux	/boot/vmlinuz-6.1.0-56-amd64 root=UUID=5a1c7a52-08f4-4b5c-9f4e-0f1e5a6f8b1d ro quiet
            	initrd	/boot/initrd.img-6.1.0-56-amd64
            }
            submenu 'Advanced options for Debian GNU/Linux' $menuentry_id_option 'gnulinux-advanced-5a1c7a52-08f4-4b5c-9f4e-0f1e5a6f8b1d' {
            	menuentry 'Debian GNU/Linux, with Linux 6.1.0-56-amd64' --class debian --class gnu-linux --class gnu --class os $menuentry_id_option 'gnulinux-6.1.0-56-amd64-advanced-5a1c7a52-08f4-4b5c-9f4e-0f1e5a6f8b1d' {
            		linux	/boot/vmlinuz-6.1.0-56-amd64 root=UUID=5a1c7a52-08f4-4b5c-9f4e-0f1e5a6f8b1d ro quiet
            	}
            	menuentry 'Debian GNU/Linux, with Linux 6.1.0-56-amd64 (recovery mode)' --class debian --class gnu-linux --class gnu --class os $menuentry_id_option 'gnulinux-6.1.0-56-amd64-recovery-5a1c7a52-08f4-4b5c-9f4e-0f1e5a6f8b1d' {
            		linux	/boot/vmlinuz-6.1.0-56-amd64 root=UUID=5a1c7a52-08f4-4b5c-9f4e-0f1e5a6f8b1d ro single
            	}
            	menuentry 'Debian GNU/Linux, with Linux 6.1.0-55-amd64' --class debian --class gnu-linux --class gnu --class os $menuentry_id_option 'gnulinux-6.1.0-55-amd64-advanced-5a1c7a52-08f4-4b5c-9f4e-0f1e5a6f8b1d' {
            		linux	/boot/vmlinuz-6.1.0-55-amd64 root=UUID=5a1c7a52-08f4-4b5c-9f4e-0f1e5a6f8b1d ro quiet
            	}
            }
            ### END /etc/grub.d/10_linux ###
            menuentry 'UEFI Firmware Settings' $menuentry_id_option 'uefi-firmware' {
            	fwsetup
            }
            """;

    @Test
    void anOlderKernelIsChosenInsideTheAdvancedSubmenuByIds() {
        assertEquals("gnulinux-advanced-5a1c7a52-08f4-4b5c-9f4e-0f1e5a6f8b1d>"
                + "gnulinux-6.1.0-55-amd64-advanced-5a1c7a52-08f4-4b5c-9f4e-0f1e5a6f8b1d",
                GrubMenu.entryFor(DEBIAN, "6.1.0-55-amd64"));
    }

    @Test
    void theRecoveryEntryIsNeverChosen() {
        assertEquals("gnulinux-advanced-5a1c7a52-08f4-4b5c-9f4e-0f1e5a6f8b1d>"
                + "gnulinux-6.1.0-56-amd64-advanced-5a1c7a52-08f4-4b5c-9f4e-0f1e5a6f8b1d",
                GrubMenu.entryFor(DEBIAN, "6.1.0-56-amd64"));
    }

    @Test
    void aReleaseWithoutEntryOrAPrefixOfAReleaseHasNone() {
        assertNull(GrubMenu.entryFor(DEBIAN, "6.12.0-1-amd64"));
        assertNull(GrubMenu.entryFor(DEBIAN, "6.1.0-5"));
    }

    @Test
    void aTopLevelEntryWithoutIdIsNamedByItsTitle() {
        String flat = """
                menuentry "Linux 6.8.0-rc1+" {
                	linux /boot/vmlinuz-6.8.0-rc1+
                }
                """;
        assertEquals("Linux 6.8.0-rc1+", GrubMenu.entryFor(flat, "6.8.0-rc1+"));
    }
}
