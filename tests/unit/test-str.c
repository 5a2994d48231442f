/* test-str.c - placeholder, replaced by the real tests. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

static void
placeholder__passes(void **state)
{
	assert_true(1);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(placeholder__passes),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
