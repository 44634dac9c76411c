#include "clients/config_env.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "clients/cli.h"

/* A boolean from the environment: unset or empty is 0; a value that is not a boolean is an
 * error naming the variable, not a silent "false" (an operator who typed "ture" meant yes). */
static int config_env_bool(const char *name, int *out, struct err *e)
{
	const char *v = getenv(name);
	*out = 0;
	if (!v || !*v || cli_parse_bool(v, out) == 0)
		return 0;
	return err_set(e, ERR_CONFIG, "%s='%.64s': not a boolean (true/false, yes/no, on/off, 1/0)",
	               name, v);
}

/* Why an MLFLOW_TRACKING_URI that is no http(s) URL is of no use to mltop, naming the kind of
 * store but never the rest of the value (a database URI may carry a password). */
static void config_env_store(const char *uri, char *line, size_t n)
{
	size_t scheme =
	    strspn(uri, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789+-.");
	const char *need = "mltop needs an MLflow HTTP tracking server (http:// or https://)";
	if (strncasecmp(uri, "databricks", 10) == 0)
		snprintf(
		    line, n,
		    "MLFLOW_TRACKING_URI is Databricks: %s, e.g. --mlflow https://WORKSPACE with "
		    "MLFLOW_TRACKING_TOKEN; ignored",
		    need);
	else if (strncmp(uri + scheme, "://", 3) != 0 || strncasecmp(uri, "file:", 5) == 0)
		snprintf(line, n, "MLFLOW_TRACKING_URI is a local file store: %s; ignored", need);
	else
		snprintf(
		    line, n,
		    "MLFLOW_TRACKING_URI is a %.*s:// database: %s (mlflow server) in front of it; "
		    "ignored",
		    (int)(scheme < 24 ? scheme : 24), uri, need);
}

static int config_env_uri(struct config_env *env, char *warning, size_t n, struct err *e)
{
	const char *uri = getenv("MLFLOW_TRACKING_URI");
	if (!uri || !*uri)
		return 0;
	int rc = cli_check_url(uri);
	if (rc == -1) /* a store other MLflow tools use: theirs, not an error of mltop */
		config_env_store(uri, warning, n);
	else if (rc < 0)
		return err_set(e, ERR_CONFIG, "MLFLOW_TRACKING_URI: %s", cli_url_problem(rc));
	else if (!(env->uri = cli_url_dup(uri)))
		return ERR_NOMEM;
	return 0;
}

int config_env_read(struct config_env *env, char *warning, size_t n, struct err *e)
{
	if (n)
		warning[0] = '\0';
	int rc = config_env_uri(env, warning, n, e);
	if (rc < 0)
		return rc;
	const char *names[] = {"MLFLOW_TRACKING_TOKEN", "MLFLOW_TRACKING_USERNAME",
	                       "MLFLOW_TRACKING_PASSWORD", "MLFLOW_TRACKING_SERVER_CERT_PATH"};
	char **dst[] = {&env->token, &env->username, &env->password, &env->cert};
	for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
		const char *v = getenv(names[i]);
		if (v && *v && !(*dst[i] = strdup(v)))
			return ERR_NOMEM;
	}
	if (config_env_bool("MLFLOW_TRACKING_INSECURE_TLS", &env->insecure, e) < 0)
		return ERR_CONFIG;
	if (env->insecure && env->cert)
		return err_set(e, ERR_CONFIG,
		               "MLFLOW_TRACKING_INSECURE_TLS and MLFLOW_TRACKING_SERVER_CERT_PATH "
		               "cannot both be set");
	return 0;
}

void config_env_fini(struct config_env *env)
{
	char *secrets[] = {env->token, env->password};
	for (size_t i = 0; i < 2; i++)
		if (secrets[i])
			explicit_bzero(secrets[i], strlen(secrets[i]));
	free(env->uri);
	free(env->token);
	free(env->username);
	free(env->password);
	free(env->cert);
	memset(env, 0, sizeof *env);
}
