package org.kernelrig.virtualboard;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;

class ModulesDepTest {

    static final String DEP = String.join("\n",
            "kernel/fs/configfs/configfs.ko:",
            "kernel/drivers/net/netconsole.ko: kernel/fs/configfs/configfs.ko",
            "kernel/drivers/usb/storage/usb-storage.ko: kernel/drivers/scsi/scsi_mod.ko kernel/drivers/scsi/scsi_common.ko "
                    + "kernel/drivers/usb/core/usbcore.ko kernel/drivers/usb/common/usb-common.ko",
            "kernel/drivers/scsi/scsi_mod.ko: kernel/drivers/scsi/scsi_common.ko",
            "kernel/drivers/scsi/scsi_common.ko:",
            "kernel/drivers/usb/core/usbcore.ko: kernel/drivers/usb/common/usb-common.ko",
            "kernel/drivers/usb/common/usb-common.ko:",
            "kernel/crypto/crc64_rocksoft_generic.ko.xz: kernel/lib/crc64.ko.xz",
            "kernel/lib/crc64.ko.xz:",
            "");

    @Test
    void modulesBringWhatTheyNeedAtEveryLevel() {
        List<String> missing = new ArrayList<>();
        Set<String> files = ModulesDep.parse(DEP).filesFor(List.of("netconsole", "usb-storage"), missing);
        assertEquals(Set.of("kernel/drivers/net/netconsole.ko", "kernel/fs/configfs/configfs.ko",
                "kernel/drivers/usb/storage/usb-storage.ko", "kernel/drivers/scsi/scsi_mod.ko",
                "kernel/drivers/scsi/scsi_common.ko", "kernel/drivers/usb/core/usbcore.ko",
                "kernel/drivers/usb/common/usb-common.ko"), files);
        assertEquals(List.of(), missing);
    }

    @Test
    void dashesAndUnderscoresAreTheSameAndCompressedFilesCount() {
        List<String> missing = new ArrayList<>();
        Set<String> files = ModulesDep.parse(DEP).filesFor(List.of("usb_common", "crc64-rocksoft-generic"), missing);
        assertEquals(Set.of("kernel/drivers/usb/common/usb-common.ko", "kernel/crypto/crc64_rocksoft_generic.ko.xz",
                "kernel/lib/crc64.ko.xz"), files);
    }

    @Test
    void modulesBuiltIntoTheKernelAreReportedMissing() {
        List<String> missing = new ArrayList<>();
        Set<String> files = ModulesDep.parse(DEP).filesFor(List.of("e1000", "configfs"), missing);
        assertEquals(Set.of("kernel/fs/configfs/configfs.ko"), files);
        assertEquals(List.of("e1000"), missing);
    }
}
