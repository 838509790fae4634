#!/bin/busybox sh
# /init of rig's virtual board: a busybox system in RAM with dropbear for SSH.
/bin/busybox mkdir -p /sbin /usr/bin /usr/sbin
/bin/busybox --install -s
export PATH=/sbin:/usr/sbin:/bin:/usr/bin
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev
mkdir -p /dev/pts /dev/shm
mount -t devpts devpts /dev/pts
mount -t tmpfs tmpfs /run
mount -t tmpfs tmpfs /tmp
mount -t debugfs debugfs /sys/kernel/debug
modprobe configfs && mount -t configfs configfs /sys/kernel/config
hostname rig-virtual
# EFI variables, where the firmware has them.
if [ -d /sys/firmware/efi ]; then
  modprobe efivarfs && mount -t efivarfs efivarfs /sys/firmware/efi/efivars
fi
# The pstore backend the kernel command line names (pstore.backend=), for the crash records of the last boot.
# ramoops is given the command line's ramoops.* options itself: not every module loader reads them there (busybox's insmod does not).
set -f
pstore_backend=
ramoops_options=
for word in $(cat /proc/cmdline); do
  case "$word" in
    pstore.backend=*) pstore_backend="${word#pstore.backend=}" ;;
    ramoops.*=*) ramoops_options="$ramoops_options ${word#ramoops.}" ;;
  esac
done
set +f
case "$pstore_backend" in
  ramoops) modprobe ramoops $ramoops_options || echo "rig-init: cannot load ramoops" ;;
  efi) modprobe efi_pstore || echo "rig-init: cannot load efi_pstore" ;;
esac
mount -t pstore pstore /sys/fs/pstore
for module in e1000 xhci-pci usb-storage sd_mod lkdtm; do
  modprobe "$module" || echo "rig-init: cannot load $module"
done
ip link set lo up
ip link set eth0 up
ip addr add 10.0.2.15/24 dev eth0
ip route add default via 10.0.2.2
# The USB stick, under the name udev would give it, for scenarios that write it.
( for attempt in $(seq 1 150); do
    for disk in /sys/block/sd*; do
      [ -e "$disk" ] || continue
      case "$(readlink -f "$disk/device")" in *usb*)
        mkdir -p /dev/disk/by-id
        ln -sf "/dev/${disk##*/}" /dev/disk/by-id/usb-QEMU_QEMU_HARDDISK_RIGSTICK0001-0:0
        exit 0 ;;
      esac
    done
    sleep 0.2
  done ) &
dropbear -s -p 22 -r /etc/dropbear/dropbear_ed25519_host_key
echo "rig-init: ready: $(uname -r), ssh on eth0, boot id $(cat /proc/sys/kernel/random/boot_id)"
# A root shell on the serial console, started again whenever it ends: init must never exit.
while true; do
  setsid cttyhack sh
done
