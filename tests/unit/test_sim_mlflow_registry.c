/* test_sim_mlflow_registry: mltop-sim's model registry: registered models, versions, aliases
 * (set, move, delete with a JSON body, get), stage transitions, errors. */
#include "tests/unit/test_sim_mlflow.h"

/* ---- registry ---- */

static const char *alias_version(const cJSON *model, const char *alias)
{
	const cJSON *a;

	cJSON_ArrayForEach(a, item(model, "aliases"))
	{
		if (strcmp(str(a, "alias"), alias) == 0)
			return str(a, "version");
	}
	return NULL;
}

static void test_registry_models(void **state)
{
	const char *names[] = {"churn-classifier", "fraud-detector", "search-ranking"};
	cJSON *j, *m;
	int i = 0;

	(void)state;
	j = get("/api/2.0/mlflow/registered-models/search?max_results=100");
	cJSON_ArrayForEach(m, item(j, "registered_models"))
	{
		assert_string_equal(str(m, "name"), names[i++]);
		assert_non_null(alias_version(m, "champion"));
		assert_true(cJSON_GetArraySize(item(m, "latest_versions")) >= 1);
	}
	assert_int_equal(i, 3);
	cJSON_Delete(j);
	j = get("/api/2.0/mlflow/registered-models/get?name=churn-classifier");
	m = item(j, "registered_model");
	assert_string_equal(alias_version(m, "champion"), "3");
	assert_string_equal(alias_version(m, "challenger"), "5");
	assert_non_null(str(m, "description"));
	cJSON_Delete(j);
	j = get("/api/2.0/mlflow/registered-models/search?filter=name%20LIKE%20'%25fraud%25'");
	assert_int_equal(cJSON_GetArraySize(item(j, "registered_models")), 1);
	cJSON_Delete(j);
	expect_error(&main_sim, "GET", "/api/2.0/mlflow/registered-models/get?name=nope", NULL, 404,
	             "RESOURCE_DOES_NOT_EXIST");
	expect_error(&main_sim, "GET", "/api/2.0/mlflow/registered-models/search?max_results=1001",
	             NULL, 400, "INVALID_PARAMETER_VALUE");
}

static void test_registry_versions(void **state)
{
	cJSON *j, *v, *run;
	char path[256];
	int n = 0;

	(void)state;
	j = get("/api/2.0/mlflow/model-versions/search?filter=name%3D'churn-classifier'&"
	        "max_results=1000");
	cJSON_ArrayForEach(v, item(j, "model_versions"))
	{
		assert_true(cJSON_IsString(item(v, "version")));
		assert_string_equal(str(v, "status"), "READY");
		assert_non_null(str(v, "current_stage"));
		assert_int_equal(strncmp(str(v, "source"), "mlflow-artifacts:/1/", 20), 0);
		assert_non_null(strstr(str(v, "source"), str(v, "run_id")));
		snprintf(path, sizeof(path), "/api/2.0/mlflow/runs/get?run_id=%s",
		         str(v, "run_id"));
		run = get(path);
		cJSON_Delete(run);
		n++;
	}
	assert_int_equal(n, 5);
	cJSON_Delete(j);
	j = get("/api/2.0/mlflow/model-versions/get?name=churn-classifier&version=3");
	v = item(j, "model_version");
	assert_string_equal(str(v, "version"), "3");
	assert_string_equal(cJSON_GetArrayItem(item(v, "aliases"), 0)->valuestring, "champion");
	assert_int_equal(cJSON_GetArraySize(item(v, "aliases")), 1);
	cJSON_Delete(j);
	j = get("/api/2.0/mlflow/model-versions/get?name=churn-classifier&version=1");
	assert_null(item(item(j, "model_version"), "aliases")); /* omitted when empty */
	cJSON_Delete(j);
	expect_error(&main_sim, "GET",
	             "/api/2.0/mlflow/model-versions/get?name=churn-classifier&"
	             "version=x",
	             NULL, 400, "INVALID_PARAMETER_VALUE");
	expect_error(&main_sim, "GET",
	             "/api/2.0/mlflow/model-versions/get?name=churn-classifier&"
	             "version=99",
	             NULL, 404, "RESOURCE_DOES_NOT_EXIST");
}

static void test_alias_writes(void **state)
{
	const char *get_path = "/api/2.0/mlflow/registered-models/alias?name=churn-classifier&"
	                       "alias=canary";
	cJSON *j;

	(void)state;
	j = post("/api/2.0/mlflow/registered-models/alias",
	         "{\"name\": \"churn-classifier\", \"alias\": \"canary\", \"version\": \"4\"}");
	assert_null(j->child); /* {} */
	cJSON_Delete(j);
	j = get(get_path);
	assert_string_equal(str(item(j, "model_version"), "version"), "4");
	cJSON_Delete(j);
	/* Setting it again moves it. */
	cJSON_Delete(post("/api/2.0/mlflow/registered-models/alias",
	                  "{\"name\": \"churn-classifier\", \"alias\": \"canary\", \"version\": "
	                  "\"2\"}"));
	j = get("/api/2.0/mlflow/registered-models/get?name=churn-classifier");
	assert_string_equal(alias_version(item(j, "registered_model"), "canary"), "2");
	cJSON_Delete(j);
	/* DELETE reads its arguments from the JSON body. */
	j = call(&main_sim, "DELETE", "/api/2.0/mlflow/registered-models/alias",
	         "{\"name\": \"churn-classifier\", \"alias\": \"canary\"}", 200);
	cJSON_Delete(j);
	/* an alias (or a model) the store does not have is a 400, as the SQL store answers */
	expect_error(&main_sim, "GET", get_path, NULL, 400, "INVALID_PARAMETER_VALUE");
	expect_error(&main_sim, "GET", "/api/2.0/mlflow/registered-models/alias?name=nope&alias=x",
	             NULL, 400, "INVALID_PARAMETER_VALUE");
	expect_error(&main_sim, "POST", "/api/2.0/mlflow/registered-models/alias",
	             "{\"name\": \"churn-classifier\", \"alias\": \"Latest\", \"version\": \"4\"}",
	             400, "INVALID_PARAMETER_VALUE");
	expect_error(&main_sim, "POST", "/api/2.0/mlflow/registered-models/alias",
	             "{\"name\": \"churn-classifier\", \"alias\": \"v2\", \"version\": \"4\"}", 400,
	             "INVALID_PARAMETER_VALUE");
	expect_error(&main_sim, "POST", "/api/2.0/mlflow/registered-models/alias",
	             "{\"name\": \"churn-classifier\", \"alias\": \"x\", \"version\": \"42\"}", 404,
	             "RESOURCE_DOES_NOT_EXIST");
}

static const char *stage_of(const char *model, const char *version)
{
	static char stage[32];
	char path[256];
	cJSON *j;

	snprintf(path, sizeof(path), "/api/2.0/mlflow/model-versions/get?name=%s&version=%s", model,
	         version);
	j = get(path);
	snprintf(stage, sizeof(stage), "%s", str(item(j, "model_version"), "current_stage"));
	cJSON_Delete(j);
	return stage;
}

static void test_transition_stage(void **state)
{
	cJSON *j;

	(void)state;
	assert_string_equal(stage_of("fraud-detector", "2"), "Production");
	j = post("/api/2.0/mlflow/model-versions/transition-stage",
	         "{\"name\": \"fraud-detector\", \"version\": \"3\", \"stage\": \"production\", "
	         "\"archive_existing_versions\": true}");
	assert_string_equal(str(item(j, "model_version"), "current_stage"), "Production");
	cJSON_Delete(j);
	assert_string_equal(stage_of("fraud-detector", "3"), "Production");
	assert_string_equal(stage_of("fraud-detector", "2"), "Archived");
	expect_error(&main_sim, "POST", "/api/2.0/mlflow/model-versions/transition-stage",
	             "{\"name\": \"fraud-detector\", \"version\": \"3\", \"stage\": \"Live\", "
	             "\"archive_existing_versions\": false}",
	             400, "INVALID_PARAMETER_VALUE");
	/* archiving the others is for the active stages only: the store throws (500) */
	expect_error(&main_sim, "POST", "/api/2.0/mlflow/model-versions/transition-stage",
	             "{\"name\": \"fraud-detector\", \"version\": \"3\", \"stage\": "
	             "\"Archived\", \"archive_existing_versions\": true}",
	             500, "INTERNAL_ERROR");
	assert_string_equal(stage_of("fraud-detector", "3"), "Production");
}

/* model-versions/search leaves aliases out (SQL store); get and the alias GET carry them, and
 * the registered model (search and get) carries them as {alias, version}. */
static void test_aliases_where_the_store_puts_them(void **state)
{
	cJSON *j, *v, *m;
	int n = 0;

	(void)state;
	j = get("/api/2.0/mlflow/model-versions/search?filter=name%3D'churn-classifier'&"
	        "max_results=1000");
	cJSON_ArrayForEach(v, item(j, "model_versions"))
	{
		assert_null(item(v, "aliases"));
		n++;
	}
	assert_true(n > 0);
	cJSON_Delete(j);
	j = get("/api/2.0/mlflow/registered-models/search?max_results=100");
	m = cJSON_GetArrayItem(item(j, "registered_models"), 0);
	assert_non_null(alias_version(m, "champion"));
	cJSON_ArrayForEach(v, item(m, "latest_versions"))
	{
		assert_null(item(v, "aliases"));
	}
	cJSON_Delete(j);
	j = get("/api/2.0/mlflow/registered-models/alias?name=churn-classifier&alias=champion");
	assert_string_equal(
	    cJSON_GetArrayItem(item(item(j, "model_version"), "aliases"), 0)->valuestring,
	    "champion");
	cJSON_Delete(j);
}

static const char *version_tag(const char *key)
{
	static char value[64];
	cJSON *j = get("/api/2.0/mlflow/model-versions/get?name=search-ranking&version=2");
	const char *v = kv(item(item(j, "model_version"), "tags"), key);

	snprintf(value, sizeof(value), "%s", v ? v : "(none)");
	cJSON_Delete(j);
	return value;
}

static void test_tags_and_descriptions(void **state)
{
	cJSON *j;

	(void)state;
	cJSON_Delete(post("/api/2.0/mlflow/model-versions/set-tag",
	                  "{\"name\": \"search-ranking\", \"version\": \"2\", \"key\": "
	                  "\"rollout\", \"value\": \"canary-10\"}"));
	assert_string_equal(version_tag("rollout"), "canary-10");
	cJSON_Delete(call(&main_sim, "DELETE", "/api/2.0/mlflow/model-versions/delete-tag",
	                  "{\"name\": \"search-ranking\", \"version\": \"2\", \"key\": "
	                  "\"rollout\"}",
	                  200));
	assert_string_equal(version_tag("rollout"), "(none)");
	j = call(&main_sim, "PATCH", "/api/2.0/mlflow/registered-models/update",
	         "{\"name\": \"search-ranking\", \"description\": \"LTR, now with clicks\"}", 200);
	assert_string_equal(str(item(j, "registered_model"), "description"),
	                    "LTR, now with clicks");
	cJSON_Delete(j);
	cJSON_Delete(post("/api/2.0/mlflow/registered-models/set-tag",
	                  "{\"name\": \"search-ranking\", \"key\": \"tier\", \"value\": \"1\"}"));
	j = get("/api/2.0/mlflow/registered-models/get?name=search-ranking");
	assert_string_equal(kv(item(item(j, "registered_model"), "tags"), "tier"), "1");
	cJSON_Delete(j);
	expect_error(&main_sim, "POST", "/api/2.0/mlflow/model-versions/set-tag",
	             "{\"name\": \"search-ranking\", \"version\": \"9\", \"key\": \"k\", "
	             "\"value\": \"v\"}",
	             404, "RESOURCE_DOES_NOT_EXIST");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_registry_models),
	    cmocka_unit_test(test_registry_versions),
	    cmocka_unit_test(test_alias_writes),
	    cmocka_unit_test(test_transition_stage),
	    cmocka_unit_test(test_tags_and_descriptions),
	    cmocka_unit_test(test_aliases_where_the_store_puts_them),
	};

	return sim_run_group("test_sim_mlflow_registry", tests, sizeof(tests) / sizeof(tests[0]));
}
