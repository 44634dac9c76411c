#include "tests/unit/mlflowfx.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include <cmocka.h>

void mlflowfx_start(struct testsrv **srv, struct http **h, struct mlflow **m,
                    struct mlflow_config cfg, const char *suffix)
{
	char base[128];
	*srv = testsrv_start();
	assert_non_null(*srv);
	*h = http_new(NULL);
	assert_non_null(*h);
	snprintf(base, sizeof base, "%s%s", testsrv_url(*srv), suffix);
	cfg.base_url = base;
	*m = mlflow_new(*h, &cfg, NULL);
	assert_non_null(*m);
}

void mlflowfx_stop(struct testsrv **srv, struct http **h, struct mlflow **m)
{
	mlflow_free(m);
	http_free(h);
	testsrv_stop(srv);
}
