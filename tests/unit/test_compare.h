/* The runs of the Compare view tests (test_compare*.c): runs/search JSON for the MLflow parser. */
#ifndef MLTOP_TEST_COMPARE_H
#define MLTOP_TEST_COMPARE_H

/* Three runs: params that differ (learning_rate, max_depth, feature_set), one that is the same
 * everywhere (seed), one only some runs have (notes); metrics with NaN, a missing one, a control
 * character in a value and git commits and datasets as data and code versions. */
static const char compare_runs_json[] =
    "{\"runs\":["
    "{\"info\":{\"run_id\":\"r1\",\"run_name\":\"dazzling-owl-12\",\"experiment_id\":\"1\","
    "\"status\":\"FINISHED\"},\"data\":{"
    "\"metrics\":[{\"key\":\"auc\",\"value\":0.912,\"timestamp\":1,\"step\":150},"
    "{\"key\":\"logloss\",\"value\":0.281,\"timestamp\":1,\"step\":150},"
    "{\"key\":\"val_loss\",\"value\":\"NaN\",\"timestamp\":1,\"step\":150}],"
    "\"params\":[{\"key\":\"learning_rate\",\"value\":\"0.05\"},{\"key\":\"max_depth\","
    "\"value\":\"6\"},{\"key\":\"feature_set\",\"value\":\"fs-2026-10\"},{\"key\":\"seed\","
    "\"value\":\"7\"}],"
    "\"tags\":[{\"key\":\"mlflow.source.git.commit\",\"value\":\"9c1e2f0a7b3d4c5e6f70\"}]},"
    "\"inputs\":{\"dataset_inputs\":[{\"tags\":[{\"key\":\"mlflow.data.context\",\"value\":"
    "\"training\"}],\"dataset\":{\"name\":\"churn\",\"digest\":\"3f1a9c2e\"}}]}},"
    "{\"info\":{\"run_id\":\"r2\",\"run_name\":\"brave-fox-7\",\"experiment_id\":\"1\","
    "\"status\":\"FINISHED\"},\"data\":{"
    "\"metrics\":[{\"key\":\"auc\",\"value\":0.934,\"timestamp\":1,\"step\":150},"
    "{\"key\":\"logloss\",\"value\":0.290,\"timestamp\":1,\"step\":150},"
    "{\"key\":\"val_loss\",\"value\":0.33,\"timestamp\":1,\"step\":150}],"
    "\"params\":[{\"key\":\"learning_rate\",\"value\":\"0.1\"},{\"key\":\"max_depth\","
    "\"value\":\"8\"},{\"key\":\"feature_set\",\"value\":\"fs-2026-11\"},{\"key\":\"seed\","
    "\"value\":\"7\"},{\"key\":\"notes\",\"value\":\"try\\u001b[31m red\"}],"
    "\"tags\":[{\"key\":\"mlflow.source.git.commit\",\"value\":\"9c1e2f0a7b3d4c5e6f70\"}]},"
    "\"inputs\":{\"dataset_inputs\":[{\"dataset\":{\"name\":\"churn\",\"digest\":\"77aa01\"}}]}},"
    "{\"info\":{\"run_id\":\"r3\",\"run_name\":\"quiet-elk-3\",\"experiment_id\":\"1\","
    "\"status\":\"FINISHED\"},\"data\":{"
    "\"metrics\":[{\"key\":\"auc\",\"value\":0.921,\"timestamp\":1,\"step\":150},"
    "{\"key\":\"logloss\",\"value\":0.302,\"timestamp\":1,\"step\":150}],"
    "\"params\":[{\"key\":\"learning_rate\",\"value\":\"0.1\"},{\"key\":\"max_depth\","
    "\"value\":\"8\"},{\"key\":\"feature_set\",\"value\":\"fs-2026-11\"},{\"key\":\"seed\","
    "\"value\":\"7\"}],"
    "\"tags\":[{\"key\":\"mlflow.source.git.commit\",\"value\":\"9c1e2f0a7b3d4c5e6f70\"}]}}"
    "]}";

#endif
