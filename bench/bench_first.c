/* bench_first TIMEOUT_MS PATTERN CMD [ARG...]: the time from starting CMD in a 120x40
 * pseudo-terminal until what it wrote to the terminal, escape sequences taken out, matches the
 * extended regular expression PATTERN: its first frame. Prints "WALL_MS CPU_MS" (the CPU time
 * the command used until then, from /proc) and exit 0, or "timeout" and exit 1.
 *
 * The terminal is read directly, so nothing else (a multiplexer redrawing its own copy of the
 * screen, a poller forking capture-pane) takes the CPU from the command while it starts: on a
 * machine of two cores such a poller slows the very thing it measures. The command gets the
 * environment of this program (run.sh sets TERM and LANG); it is ended with SIGTERM once the
 * frame showed, SIGKILL if it lingers. A benchmark reports; it never asserts. */
#include <errno.h>
#include <poll.h>
#include <pty.h>
#include <regex.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "bench/bench.h"

#define FIRST_MAX_TEXT (1 << 20)

/* The text of a terminal stream without its escape sequences: a cursor movement becomes one
 * blank (so that two cells apart stay apart), colours and modes vanish. */
struct strip {
	enum { S_TEXT, S_ESC, S_CSI, S_OSC, S_CHARSET } state;
	char *text;
	size_t len;
};

static void strip_put(struct strip *s, char ch)
{
	if (s->len + 1 < FIRST_MAX_TEXT)
		s->text[s->len++] = ch;
	s->text[s->len] = '\0';
}

static void strip_esc(struct strip *s, unsigned char ch)
{
	if (ch == '[')
		s->state = S_CSI;
	else if (ch == ']')
		s->state = S_OSC;
	else if (ch == '(' || ch == ')' || ch == '*' || ch == '+')
		s->state = S_CHARSET;
	else
		s->state = S_TEXT;
}

static void strip_feed(struct strip *s, const char *buf, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		unsigned char ch = (unsigned char)buf[i];
		switch (s->state) {
		case S_TEXT:
			if (ch == 27)
				s->state = S_ESC;
			else if (ch == '\n')
				strip_put(s, '\n');
			else if (ch >= 32)
				strip_put(s, (char)ch);
			break;
		case S_ESC:
			strip_esc(s, ch);
			break;
		case S_CSI:
			if (ch >= 0x40 && ch <= 0x7e) {
				if (strchr("HCGdfABDE", ch))
					strip_put(s, ' ');
				s->state = S_TEXT;
			}
			break;
		case S_OSC:
			if (ch == 7 || ch == 27)
				s->state = ch == 27 ? S_ESC : S_TEXT;
			break;
		case S_CHARSET:
			s->state = S_TEXT;
			break;
		}
	}
}

/* utime + stime of pid in ms; -1 when unreadable. */
static double cpu_ms(pid_t pid)
{
	char path[64], buf[1024];
	snprintf(path, sizeof path, "/proc/%d/stat", (int)pid);
	FILE *f = fopen(path, "r");
	size_t n = f ? fread(buf, 1, sizeof buf - 1, f) : 0;
	if (f)
		fclose(f);
	buf[n] = '\0';
	char *p = strrchr(buf, ')'); /* the command name may hold blanks */
	unsigned long ut = 0, st = 0;
	if (!p ||
	    sscanf(p + 2, "%*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %lu %lu", &ut, &st) != 2)
		return -1;
	return (double)(ut + st) * 1000.0 / (double)sysconf(_SC_CLK_TCK);
}

static void stop(pid_t pid, int master)
{
	kill(pid, SIGTERM);
	for (int i = 0; i < 200; i++) {
		char buf[4096];
		if (waitpid(pid, NULL, WNOHANG) == pid)
			goto out;
		while (read(master, buf, sizeof buf) > 0)
			; /* a child blocked on a full terminal could not end */
		struct timespec ts = {0, 10 * 1000000};
		nanosleep(&ts, NULL);
	}
	kill(pid, SIGKILL);
	waitpid(pid, NULL, 0);
out:
	close(master);
}

/* Reads the terminal until the pattern shows or the deadline passes: 0 or -1. */
static int watch(int master, const regex_t *re, int64_t deadline, struct strip *s)
{
	char buf[65536];
	while (bench_now_ns() < deadline) {
		struct pollfd p = {.fd = master, .events = POLLIN};
		int left = (int)((deadline - bench_now_ns()) / 1000000);
		if (poll(&p, 1, left > 0 ? left : 0) <= 0)
			continue;
		ssize_t r = read(master, buf, sizeof buf);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			return -1; /* the command ended, or closed the terminal */
		strip_feed(s, buf, (size_t)r);
		if (regexec(re, s->text, 0, NULL, 0) == 0)
			return 0;
	}
	return -1;
}

int main(int argc, char **argv)
{
	if (argc < 4) {
		fprintf(stderr, "usage: bench_first TIMEOUT_MS PATTERN CMD [ARG...]\n");
		return 2;
	}
	regex_t re;
	if (regcomp(&re, argv[2], REG_EXTENDED | REG_NOSUB) != 0) {
		fprintf(stderr, "bench_first: bad pattern\n");
		return 2;
	}
	struct strip s = {.text = malloc(FIRST_MAX_TEXT)};
	struct winsize ws = {.ws_row = 40, .ws_col = 120};
	int master = -1;
	if (!s.text)
		return 2;
	s.text[0] = '\0';
	int64_t t0 = bench_now_ns();
	pid_t pid = forkpty(&master, NULL, NULL, &ws);
	if (pid == 0) {
		execvp(argv[3], argv + 3);
		_exit(127);
	}
	if (pid < 0) {
		fprintf(stderr, "bench_first: forkpty: %s\n", strerror(errno));
		return 2;
	}
	int rc = watch(master, &re, t0 + strtoll(argv[1], NULL, 10) * 1000000, &s);
	double wall = (double)(bench_now_ns() - t0) / 1e6, cpu = cpu_ms(pid);
	stop(pid, master);
	if (rc == 0)
		printf("%.1f %.0f\n", wall, cpu);
	else
		printf("timeout\n");
	if (getenv("BENCH_FIRST_SCREEN"))
		fprintf(stderr, "%s\n", s.text);
	regfree(&re);
	free(s.text);
	return rc == 0 ? 0 : 1;
}
