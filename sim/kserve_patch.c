/* kserve_patch.c: JSON merge patch and JSON Patch on cJSON trees. */
#include "sim/kserve_patch.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define PATCH_TOKEN 256

cJSON *kserve_patch_merge(cJSON *target, const cJSON *patch)
{
	const cJSON *p;

	if (!cJSON_IsObject(patch)) {
		cJSON_Delete(target);
		return cJSON_Duplicate(patch, 1);
	}
	if (!cJSON_IsObject(target)) {
		cJSON_Delete(target);
		target = cJSON_CreateObject();
	}
	cJSON_ArrayForEach(p, patch)
	{
		cJSON *cur = cJSON_GetObjectItemCaseSensitive(target, p->string);
		if (cJSON_IsNull(p))
			cJSON_DeleteItemFromObjectCaseSensitive(target, p->string);
		else if (cur)
			cJSON_ReplaceItemInObjectCaseSensitive(
			    target, p->string, kserve_patch_merge(cJSON_Duplicate(cur, 1), p));
		else
			cJSON_AddItemToObject(target, p->string, kserve_patch_merge(NULL, p));
	}
	return target;
}

/* ---- JSON pointers ---- */

/* One reference token, unescaped (~1 is '/', ~0 is '~'); p is just after its '/'. Returns what
 * follows the token. */
static const char *patch_token(const char *p, char *out, size_t cap)
{
	size_t n = 0;

	while (*p && *p != '/') {
		char c = *p++;
		if (c == '~' && (*p == '0' || *p == '1'))
			c = *p++ == '0' ? '~' : '/';
		if (n + 1 < cap)
			out[n++] = c;
	}
	out[n] = '\0';
	return p;
}

/* An array index (no leading zeros), n for "-" when allowed; -1 when out of range. */
static int patch_index(const char *tok, int n, int allow_end)
{
	long i;

	if (allow_end && strcmp(tok, "-") == 0)
		return n;
	if (!*tok || strspn(tok, "0123456789") != strlen(tok) || (tok[0] == '0' && tok[1]) ||
	    strlen(tok) > 9)
		return -1;
	i = strtol(tok, NULL, 10);
	return i < n + (allow_end ? 1 : 0) ? (int)i : -1;
}

static cJSON *patch_child(cJSON *c, const char *tok)
{
	int i;

	if (cJSON_IsObject(c))
		return cJSON_GetObjectItemCaseSensitive(c, tok);
	if (!cJSON_IsArray(c))
		return NULL;
	i = patch_index(tok, cJSON_GetArraySize(c), 0);
	return i >= 0 ? cJSON_GetArrayItem(c, i) : NULL;
}

/* The container of the pointer's last token (copied to last); NULL when it is missing. */
static cJSON *patch_parent(cJSON *doc, const char *path, char *last)
{
	char tok[PATCH_TOKEN];
	cJSON *c = doc;

	if (path[0] != '/')
		return NULL;
	for (;;) {
		path = patch_token(path + 1, tok, sizeof(tok));
		if (!*path) {
			memcpy(last, tok, sizeof(tok));
			return c;
		}
		c = patch_child(c, tok);
		if (!c)
			return NULL;
	}
}

static cJSON *patch_get(cJSON *doc, const char *path)
{
	char last[PATCH_TOKEN];
	cJSON *parent;

	if (!*path)
		return doc;
	parent = patch_parent(doc, path, last);
	return parent ? patch_child(parent, last) : NULL;
}

/* Takes the value at path out of the document; NULL when there is none. */
static cJSON *patch_detach(cJSON *doc, const char *path)
{
	char last[PATCH_TOKEN];
	cJSON *parent = patch_parent(doc, path, last);
	cJSON *child = parent ? patch_child(parent, last) : NULL;

	return child ? cJSON_DetachItemViaPointer(parent, child) : NULL;
}

/* Puts value (taken, freed on failure) at path; 0 or -1. */
static int patch_add(cJSON **doc, const char *path, cJSON *value)
{
	char last[PATCH_TOKEN];
	cJSON *parent;
	int n, i;

	if (!value)
		return -1;
	if (!*path) {
		cJSON_Delete(*doc);
		*doc = value;
		return 0;
	}
	parent = patch_parent(*doc, path, last);
	if (cJSON_IsObject(parent)) {
		cJSON_DeleteItemFromObjectCaseSensitive(parent, last);
		cJSON_AddItemToObject(parent, last, value);
		return 0;
	}
	n = cJSON_IsArray(parent) ? cJSON_GetArraySize(parent) : 0;
	i = cJSON_IsArray(parent) ? patch_index(last, n, 1) : -1;
	if (i == n)
		cJSON_AddItemToArray(parent, value);
	else if (i >= 0)
		cJSON_InsertItemInArray(parent, i, value);
	else
		cJSON_Delete(value);
	return i >= 0 ? 0 : -1;
}

/* ---- operations ---- */

static const char *patch_str(const cJSON *op, const char *key)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(op, key);

	return cJSON_IsString(v) ? v->valuestring : NULL;
}

/* remove, replace and move take the value out first. */
static int patch_take_then_add(cJSON **doc, const char *name, const char *path, const char *from,
                               const cJSON *value)
{
	int move = strcmp(name, "move") == 0;
	cJSON *old;

	if (strcmp(name, "replace") == 0 && !*path && value) {
		cJSON_Delete(*doc);
		*doc = cJSON_Duplicate(value, 1);
		return 0;
	}
	old = patch_detach(*doc, move ? (from ? from : "") : path);
	if (!old)
		return -1;
	if (strcmp(name, "remove") == 0) {
		cJSON_Delete(old);
		return 0;
	}
	if (move)
		return patch_add(doc, path, old);
	cJSON_Delete(old);
	return patch_add(doc, path, value ? cJSON_Duplicate(value, 1) : NULL);
}

static int patch_op(cJSON **doc, const cJSON *op, char *why, size_t cap)
{
	const char *name = patch_str(op, "op"), *path = patch_str(op, "path"),
	           *from = patch_str(op, "from");
	const cJSON *value = cJSON_GetObjectItemCaseSensitive(op, "value"), *cur;
	int rc;

	if (!name || !path) {
		snprintf(why, cap, "an operation needs \"op\" and \"path\" strings");
		return -1;
	}
	if (strcmp(name, "add") == 0)
		rc = patch_add(doc, path, value ? cJSON_Duplicate(value, 1) : NULL);
	else if (strcmp(name, "copy") == 0)
		rc = (cur = from ? patch_get(*doc, from) : NULL)
		         ? patch_add(doc, path, cJSON_Duplicate(cur, 1))
		         : -1;
	else if (strcmp(name, "test") == 0)
		rc =
		    (cur = patch_get(*doc, path)) && value && cJSON_Compare(cur, value, 1) ? 0 : -1;
	else if (!strcmp(name, "remove") || !strcmp(name, "replace") || !strcmp(name, "move"))
		rc = patch_take_then_add(doc, name, path, from, value);
	else {
		snprintf(why, cap, "Unexpected kind: %.64s", name);
		return -1;
	}
	if (rc != 0)
		snprintf(why, cap, "%s operation does not apply: doc is missing path: \"%.300s\"",
		         name, path);
	return rc;
}

int kserve_patch_json(cJSON **doc, const cJSON *ops, char *why, size_t cap)
{
	const cJSON *op;

	if (!cJSON_IsArray(ops)) {
		snprintf(why, cap, "a JSON Patch is an array of operations");
		return -1;
	}
	cJSON_ArrayForEach(op, ops)
	{
		if (patch_op(doc, op, why, cap) != 0)
			return -1;
	}
	return 0;
}
