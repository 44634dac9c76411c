/* mltop-sim: sorting search results by several keys (order_by plus the implicit tie-breaks).
 * Key values are computed once per row, then rows are sorted; missing values sort last. */
#ifndef MLTOP_SIM_MLFLOW_SORT_H
#define MLTOP_SIM_MLFLOW_SORT_H

#define MLFLOW_SORT_KEYS 8

struct mlflow_sort_val {
	unsigned char kind; /* 0 missing, 1 number, 2 string */
	double num;
	const char *str;
};

struct mlflow_sort_row {
	int index;
	const struct mlflow_sort *owner;
	struct mlflow_sort_val v[MLFLOW_SORT_KEYS];
};

struct mlflow_sort {
	int nkeys;
	int desc[MLFLOW_SORT_KEYS];
	int n, cap;
	struct mlflow_sort_row *rows;
	char **strs; /* copies owned by the sort */
	int nstrs, capstrs;
};

void mlflow_sort_init(struct mlflow_sort *s);
/* Adds key k (in order of precedence); returns its number or -1 when full. */
int mlflow_sort_key(struct mlflow_sort *s, int desc);
/* A new row for item index, all keys missing; NULL when out of memory. */
struct mlflow_sort_row *mlflow_sort_add(struct mlflow_sort *s, int index);
void mlflow_sort_num(struct mlflow_sort_row *r, int k, double v);
/* copy: keep a copy of v (otherwise v must outlive the sort). */
void mlflow_sort_str(struct mlflow_sort *s, struct mlflow_sort_row *r, int k, const char *v,
                     int copy);
/* Sorts the rows; ties keep the order of index. */
void mlflow_sort_run(struct mlflow_sort *s);
void mlflow_sort_fini(struct mlflow_sort *s);

#endif
