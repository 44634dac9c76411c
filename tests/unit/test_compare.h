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

/* One run of compare_runs8_json: auc, logloss and the digest of its training data (MLflow sends
 * numbers as JSON numbers, so the values go in as text). Started at 1718011700000 ms, 5 minutes
 * before the first point of the histories the screen tests serve. */
#define COMPARE_RUN8(id, name, auc, logloss, digest)                                               \
	"{\"info\":{\"run_id\":\"" id "\",\"run_name\":\"" name "\",\"experiment_id\":\"1\","      \
	"\"status\":\"FINISHED\",\"start_time\":1718011700000},\"data\":{\"metrics\":["            \
	"{\"key\":\"auc\",\"value\":" auc ",\"timestamp\":1,\"step\":150},"                        \
	"{\"key\":\"logloss\",\"value\":" logloss ",\"timestamp\":1,\"step\":150}],"               \
	"\"params\":[{\"key\":\"learning_rate\",\"value\":\"0.1\"}]},"                             \
	"\"inputs\":{\"dataset_inputs\":[{\"dataset\":{\"name\":\"churn_weekly\",\"digest\":"      \
	"\"" digest "\"}}]}}"

/* Eight runs for the 80x24 screen: a logloss a hair above the first run's (a delta of 1.234e-05),
 * and three versions of one dataset whose digests share their first seven characters (5e0c91a). */
static const char compare_runs8_json[] =
    "{\"runs\":[" COMPARE_RUN8("s1", "wise-ant-12", "0.8113", "0.4096", "5e0c91aa3f1b") "," COMPARE_RUN8("s2", "keen-wren-4", "0.8946", "0.3148", "5e0c91aa3f1b") "," COMPARE_RUN8(
        "s3", "polite-yak-9", "0.8465", "0.3544",
        "5e0c91aa3f1b") "," COMPARE_RUN8("s4", "misty-ray-2", "0.8344", "0.3931",
                                         "5e0c91aa77d2") "," COMPARE_RUN8("s5", "clever-elk-5",
                                                                          "0.8121", "0.40961234",
                                                                          "5e0c91aa77d2") "," COMPARE_RUN8("s6",
                                                                                                           "clever-owl-8",
                                                                                                           "0.885",
                                                                                                           "0.3261",
                                                                                                           "5e0c91aa77d2") "," COMPARE_RUN8("s7",
                                                                                                                                            "nimble-fox-3",
                                                                                                                                            "0.8288",
                                                                                                                                            "0.3978",
                                                                                                                                            "5e0c91ab0e44") "," COMPARE_RUN8("s8",
                                                                                                                                                                             "silent-bee-6",
                                                                                                                                                                             "0.7702",
                                                                                                                                                                             "0.4533",
                                                                                                                                                                             "5e0c91ab0e44") "]}";

#endif
