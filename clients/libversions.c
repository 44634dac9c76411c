#include "clients/libversions.h"

#include <cjson/cJSON.h>
#include <curl/curl.h>
#include <sqlite3.h>

void libversions_print(FILE *out)
{
	const curl_version_info_data *c = curl_version_info(CURLVERSION_NOW);
	fprintf(out, "  curl %s\n", c && c->version ? c->version : "unknown");
	if (c && c->ssl_version)
		fprintf(out, "  TLS %s (through curl)\n", c->ssl_version);
	fprintf(out, "  SQLite %s\n", sqlite3_libversion());
	fprintf(out, "  cJSON %s\n", cJSON_Version());
}
