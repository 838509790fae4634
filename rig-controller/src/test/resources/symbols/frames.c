/* Compiled by SymbolizerTest: a crash site and a call whose lines the test knows by their markers. */
#include <stdio.h>

volatile int sink;
void *site_address;
void *call_return;

__attribute__((noinline)) static int crash_here(volatile int *p)
{
	site_address = &&site;
	call_return = __builtin_return_address(0);
site:
	return *p + sink; /* SITE */
}

/* In a section of its own: a module's symbols are offsets in their section. */
__attribute__((noinline, section(".text.other"))) int caller(volatile int *p)
{
	int value = crash_here(p); /* CALL */
	return value + 1;
}

int main(void)
{
	int x = 1;

	caller(&x);
	printf("%lx %lx\n", (unsigned long)((char *)site_address - (char *)crash_here),
	       (unsigned long)((char *)call_return - (char *)caller));
	return 0;
}
