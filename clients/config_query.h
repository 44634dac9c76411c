/* config_query: the [queries] section: the names of its keys, their built-in defaults (the
 * serving queries, one per figure for every deployment, and the names the serving clients use),
 * and the expansion of a template's placeholders. config_query, config_query_fill and
 * config_query_expand (clients/config.h) are defined here; this header serves config.c. */
#ifndef MLTOP_CONFIG_QUERY_H
#define MLTOP_CONFIG_QUERY_H

/* The built-in value of the i-th key of [queries] (i < CONFIG_NQUERIES). */
const char *config_query_default(int i);

#endif
