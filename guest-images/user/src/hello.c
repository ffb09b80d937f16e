/* hello: the smallest glibc program (crt startup, stdio, exit through atexit flush). */
#include <stdio.h>

int main(void)
{
	printf("Hello, world!\n");
	return 0;
}
