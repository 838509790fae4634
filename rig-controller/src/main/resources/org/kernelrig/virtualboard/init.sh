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
