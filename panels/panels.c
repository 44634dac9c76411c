#include "panels/panels.h"

#include <string.h>

#include "panels/alerts.h"
#include "panels/audit.h"
#include "panels/experiments.h"
#include "panels/registry.h"
#include "panels/samples.h"
#include "panels/serving.h"

const struct panel_ops *const panels_table[PANELS_COUNT] = {
    &experiments_ops, &registry_ops, &serving_ops, &alerts_ops, &samples_ops, &audit_ops,
};

int panels_find(const char *name)
{
	for (int i = 0; i < PANELS_COUNT; i++)
		if (strcmp(panels_table[i]->name, name) == 0)
			return i;
	return -1;
}
