#include "tui/demo.h"

#include "clients/clock.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static int find_sim(char *path, size_t n)
{
	char exe[1024];
	ssize_t len = readlink("/proc/self/exe", exe, sizeof exe - 1);
	if (len > 0) {
		exe[len] = '\0';
		char *slash = strrchr(exe, '/');
		if (slash) {
			*slash = '\0';
			snprintf(path, n, "%s/mltop-sim", exe);
			if (access(path, X_OK) == 0)
				return 0;
		}
	}
	const char *env = getenv("PATH");
	char dirs[4096];
	snprintf(dirs, sizeof dirs, "%s", env ? env : "/usr/bin:/bin");
	for (char *save = NULL, *d = strtok_r(dirs, ":", &save); d;
	     d = strtok_r(NULL, ":", &save)) {
		snprintf(path, n, "%s/mltop-sim", d);
		if (access(path, X_OK) == 0)
			return 0;
	}
	return -1;
}

static void child(const char *sim, int out_fd, pid_t parent)
{
	prctl(PR_SET_PDEATHSIG, SIGTERM);
	if (getppid() != parent)
		_exit(1); /* the parent died before prctl */
	dup2(out_fd, STDOUT_FILENO);
	int devnull = open("/dev/null", O_RDWR);
	if (devnull >= 0) {
		dup2(devnull, STDIN_FILENO);
		dup2(devnull, STDERR_FILENO);
	}
	execl(sim, "mltop-sim", "--port", "0", (char *)NULL);
	_exit(127);
}

/* Reads the first line within timeout_ms. */
static int read_line(int fd, char *buf, size_t n, int timeout_ms)
{
	size_t len = 0;
	int64_t end = clock_mono_ms() + timeout_ms;
	while (len + 1 < n) {
		long left = (long)(end - clock_mono_ms());
		struct pollfd p = {.fd = fd, .events = POLLIN};
		if (left <= 0 || poll(&p, 1, (int)left) <= 0)
			return -1;
		ssize_t r = read(fd, buf + len, 1);
		if (r <= 0)
			return -1;
		if (buf[len] == '\n')
			break;
		len++;
	}
	buf[len] = '\0';
	return 0;
}

int demo_start(struct demo *d, struct err *e)
{
	char sim[1100];
	memset(d, 0, sizeof *d);
	if (find_sim(sim, sizeof sim) < 0)
		return err_set(e, ERR_CONFIG,
		               "the simulator mltop-sim is not built yet (run 'make' first)");
	int fds[2];
	if (pipe(fds) < 0)
		return err_set(e, ERR_IO, "pipe: %s", strerror(errno));
	pid_t parent = getpid();
	d->pid = fork();
	if (d->pid < 0)
		return err_set(e, ERR_IO, "fork: %s", strerror(errno));
	if (d->pid == 0)
		child(sim, fds[1], parent);
	close(fds[1]);
	char line[256];
	int rc = read_line(fds[0], line, sizeof line, 5000);
	close(fds[0]); /* mltop-sim says nothing more on stdout */
	const char *prefix = "listening on ";
	if (rc < 0 || strncmp(line, prefix, strlen(prefix)) != 0) {
		demo_stop(d);
		return err_set(e, ERR_IO, "%s did not start (no 'listening on' line within 5 s)",
		               sim);
	}
	snprintf(d->url, sizeof d->url, "%s", line + strlen(prefix));
	snprintf(d->mlflow, sizeof d->mlflow, "%s", d->url);
	snprintf(d->scrape, sizeof d->scrape, "%s/metrics", d->url);
	snprintf(d->samples, sizeof d->samples, "%s/samples", d->url);
	return 0;
}

void demo_stop(struct demo *d)
{
	if (d->pid <= 0)
		return;
	kill(d->pid, SIGTERM);
	for (int i = 0; i < 100; i++) {
		if (waitpid(d->pid, NULL, WNOHANG) == d->pid) {
			d->pid = 0;
			return;
		}
		struct timespec ts = {0, 20 * 1000000};
		nanosleep(&ts, NULL);
	}
	kill(d->pid, SIGKILL);
	waitpid(d->pid, NULL, 0);
	d->pid = 0;
}
