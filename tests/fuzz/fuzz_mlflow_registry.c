/* fuzz_mlflow_registry: the model registry decoders of clients/mlflow_parse_registry.h
 * (registered-models/search and /get into one list, model-versions/search and /get) on arbitrary
 * bodies, then every alias of every model looked up. */
#include <stdlib.h>

#include "clients/mlflow_parse_registry.h"
#include "support.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *body = (const char *)data;
	struct err e;
	char *next = NULL;

	struct mlflow_models *ml = mlflow_models_new();
	int rc = mlflow_parse_models(body, size, ml, &next, &e);
	FUZZ_CHECK(rc == 0 || next == NULL);
	free(next);
	next = NULL;
	mlflow_parse_model(body, size, ml, &e);
	mlflow_parse_model(body, size, ml, &e); /* the same model again replaces it */
	for (size_t i = 0; i < ml->n; i++) {
		const struct mlflow_registered_model *m = &ml->items[i];
		for (size_t j = 0; j < m->naliases; j++)
			if (m->aliases[j].alias)
				mlflow_model_alias(m, m->aliases[j].alias);
		if (m->name)
			FUZZ_CHECK(mlflow_models_find(ml, m->name) != NULL);
	}
	mlflow_models_free(&ml);

	struct mlflow_versions *vl = mlflow_versions_new();
	rc = mlflow_parse_versions(body, size, vl, &next, &e);
	FUZZ_CHECK(rc == 0 || next == NULL);
	free(next);
	mlflow_parse_versions(body, size, vl, NULL, &e);
	mlflow_versions_free(&vl);
	return 0;
}
