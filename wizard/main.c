#include <stdio.h>
int
main(void)
{
	fputs("xmpp-setup: not built yet\n", stderr);
	return 2;
}
