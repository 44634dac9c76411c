/* mltop-sim: the HTTP plumbing (libmicrohttpd, a thread per connection, one world lock). The
 * request helpers sim_query, sim_query_all and sim_resp_* are declared in sim.h. */
#ifndef MLTOP_SIM_SERVER_H
#define MLTOP_SIM_SERVER_H

#include "sim/sim.h"

/* The largest request body accepted; larger ones get 413. */
#define SERVER_MAX_BODY (8u << 20)

/* Starts listening on 127.0.0.1:port (0: a free port); *bound_port gets the real port.
 * Returns 0 or -1 (message on stderr). */
int server_start(int port, int *bound_port);
/* Stops the daemon after the running requests end. */
void server_stop(void);

#endif
