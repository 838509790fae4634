// SPDX-License-Identifier: GPL-2.0
/*
 * lkdtm-lite: crashes on request, for rig's virtual board.
 *
 * Debian's kernels do not build the kernel's LKDTM, so the virtual board
 * carries this small module instead. It offers a few crash types under
 * LKDTM's names, at LKDTM's path: writing a name to
 * /sys/kernel/debug/provoke-crash/DIRECT provokes that crash, and reading
 * the file lists the names. It logs "Performing direct entry NAME" with
 * LKDTM's prefix, so a crash reads the same on both kinds of board.
 */
#define pr_fmt(fmt) "lkdtm: " fmt

#include <linux/debugfs.h>
#include <linux/delay.h>
#include <linux/fs.h>
#include <linux/kernel.h>
#include <linux/module.h>
#include <linux/preempt.h>
#include <linux/sched.h>
#include <linux/string.h>
#include <linux/uaccess.h>

static struct dentry *provoke_dir;

static void crash_panic(void)
{
	panic("lkdtm-lite: PANIC requested");
}

static void crash_bug(void)
{
	BUG();
}

static void crash_warning(void)
{
	WARN_ON(1);
}

static void crash_warning_message(void)
{
	WARN(1, "lkdtm-lite: WARNING_MESSAGE requested\n");
}

/* A write through a null pointer: a page fault at address 0 in kernel mode. */
static void crash_exception(void)
{
	int *volatile pointer = NULL;

	*pointer = 0x5a; /* the crash site of EXCEPTION */
}

/* A read through a null pointer. */
static void crash_access_null(void)
{
	unsigned long *volatile pointer = NULL;
	unsigned long value = *pointer;

	pr_info("read %lx from NULL\n", value);
}

/*
 * A read at an address outside the canonical x86-64 range: the CPU raises
 * a general protection fault instead of a page fault.
 */
static void crash_access_noncanonical(void)
{
	unsigned long *volatile pointer = (unsigned long *)0xdead4ead00000000UL;
	unsigned long value = *pointer;

	pr_info("read %lx from a non-canonical address\n", value);
}

/* Spins with preemption off until the soft lockup detector reports it. */
static void crash_softlockup(void)
{
	preempt_disable();
	for (;;)
		cpu_relax();
}

/* Sleeps uninterruptibly for ever, so the hung task detector reports it. */
static void crash_hung_task(void)
{
	set_current_state(TASK_UNINTERRUPTIBLE);
	schedule();
}

struct crash_type {
	const char *name;
	void (*provoke)(void);
};

static const struct crash_type crash_types[] = {
	{ "PANIC", crash_panic },
	{ "BUG", crash_bug },
	{ "WARNING", crash_warning },
	{ "WARNING_MESSAGE", crash_warning_message },
	{ "EXCEPTION", crash_exception },
	{ "ACCESS_NULL", crash_access_null },
	{ "ACCESS_NONCANONICAL", crash_access_noncanonical },
	{ "SOFTLOCKUP", crash_softlockup },
	{ "HUNG_TASK", crash_hung_task },
};

static ssize_t direct_write(struct file *file, const char __user *user_buf, size_t count, loff_t *pos)
{
	char buffer[32];
	size_t length = min(count, sizeof(buffer) - 1);
	const char *name;
	size_t i;

	if (copy_from_user(buffer, user_buf, length))
		return -EFAULT;
	buffer[length] = '\0';
	name = strim(buffer);

	for (i = 0; i < ARRAY_SIZE(crash_types); i++) {
		if (strcmp(name, crash_types[i].name) == 0) {
			pr_info("Performing direct entry %s\n", crash_types[i].name);
			crash_types[i].provoke();
			return count;
		}
	}
	pr_info("unknown crash type '%s'\n", name);
	return -EINVAL;
}

static ssize_t direct_read(struct file *file, char __user *user_buf, size_t count, loff_t *pos)
{
	char list[512];
	size_t length = scnprintf(list, sizeof(list), "Available crash types:\n");
	size_t i;

	for (i = 0; i < ARRAY_SIZE(crash_types); i++)
		length += scnprintf(list + length, sizeof(list) - length, "%s\n", crash_types[i].name);
	return simple_read_from_buffer(user_buf, count, pos, list, length);
}

static const struct file_operations direct_fops = {
	.owner = THIS_MODULE,
	.read = direct_read,
	.write = direct_write,
	.llseek = generic_file_llseek,
};

static int __init lkdtm_lite_init(void)
{
	provoke_dir = debugfs_create_dir("provoke-crash", NULL);
	debugfs_create_file("DIRECT", 0600, provoke_dir, NULL, &direct_fops);
	pr_info("crash types of rig's LKDTM-lite ready at /sys/kernel/debug/provoke-crash/DIRECT\n");
	return 0;
}

static void __exit lkdtm_lite_exit(void)
{
	debugfs_remove_recursive(provoke_dir);
}

module_init(lkdtm_lite_init);
module_exit(lkdtm_lite_exit);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("Crashes on request under LKDTM's names, for rig's virtual board");
