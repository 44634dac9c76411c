#include "clients/hook.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include "clients/clock.h"

extern char **environ;

struct hook {
	pid_t pid; /* 0 once reaped */
	int fd;    /* the output pipe, -1 once at its end */
	int status;
	int timed_out;
	int64_t deadline, kill_at; /* clock_mono_ms; kill_at 0: not yet terminated */
	char *out;
	size_t len, dropped;
};

/* ---- splitting ---- */

struct words {
	char **v;
	size_t n;
	char *cur;
	size_t len;
	int in_word;
};

static int word_putc(struct words *w, char c)
{
	char *p = realloc(w->cur, w->len + 2);
	if (!p)
		return ERR_NOMEM;
	w->cur = p;
	w->cur[w->len++] = c;
	w->cur[w->len] = '\0';
	w->in_word = 1;
	return 0;
}

static int word_end(struct words *w)
{
	if (!w->in_word)
		return 0;
	if (!w->cur && word_putc(w, 'x') == 0) /* an empty quoted word: "" */
		w->cur[w->len = 0] = '\0';
	char **v = w->cur ? realloc(w->v, (w->n + 2) * sizeof *v) : NULL;
	if (!v)
		return ERR_NOMEM;
	w->v = v;
	v[w->n++] = w->cur;
	v[w->n] = NULL;
	w->cur = NULL;
	w->len = 0;
	w->in_word = 0;
	return 0;
}

/* One character (or quoted run) at *p; moves *p on. */
static int split_one(struct words *w, const char **p, struct err *e)
{
	const char *s = *p;
	int rc = 0;
	if (*s == ' ' || *s == '\t' || *s == '\n') {
		rc = word_end(w);
	} else if (*s == '\'') {
		w->in_word = 1;
		for (s++; rc == 0 && *s && *s != '\''; s++)
			rc = word_putc(w, *s);
		if (!*s)
			return err_set(e, ERR_CONFIG, "hook: a ' is not closed");
	} else if (*s == '"') {
		w->in_word = 1;
		for (s++; rc == 0 && *s && *s != '"'; s++) {
			if (*s == '\\' && (s[1] == '"' || s[1] == '\\'))
				s++;
			rc = word_putc(w, *s);
		}
		if (!*s)
			return err_set(e, ERR_CONFIG, "hook: a \" is not closed");
	} else if (*s == '\\') {
		if (!s[1])
			return err_set(e, ERR_CONFIG, "hook: a \\ at the end");
		rc = word_putc(w, *++s);
	} else {
		rc = word_putc(w, *s);
	}
	*p = s + 1;
	return rc < 0 ? err_set(e, ERR_NOMEM, "hook: out of memory") : 0;
}

int hook_split(const char *cmd, char ***argv, struct err *e)
{
	struct words w = {0};
	int rc = 0;
	*argv = NULL;
	for (const char *p = cmd ? cmd : ""; rc == 0 && *p;)
		rc = split_one(&w, &p, e);
	if (rc == 0 && word_end(&w) < 0)
		rc = err_set(e, ERR_NOMEM, "hook: out of memory");
	if (rc == 0 && w.n == 0)
		rc = err_set(e, ERR_CONFIG, "hook: an empty command");
	free(w.cur);
	if (rc < 0) {
		hook_argv_free(&w.v);
		return rc;
	}
	*argv = w.v;
	return 0;
}

void hook_argv_free(char ***argv)
{
	for (size_t i = 0; *argv && (*argv)[i]; i++)
		free((*argv)[i]);
	free(*argv);
	*argv = NULL;
}

/* ---- running ---- */

static int executable(const char *path)
{
	struct stat sb;
	return stat(path, &sb) == 0 && S_ISREG(sb.st_mode) && access(path, X_OK) == 0;
}

/* The path execve gets: argv0 itself when it has a '/', else the first match in PATH. */
static char *resolve(const char *argv0)
{
	if (strchr(argv0, '/'))
		return executable(argv0) ? strdup(argv0) : NULL;
	const char *path = getenv("PATH");
	char *dirs = strdup(path && *path ? path : "/usr/local/bin:/usr/bin:/bin"), *save = NULL;
	char *found = NULL;
	for (char *d = dirs ? strtok_r(dirs, ":", &save) : NULL; d && !found;
	     d = strtok_r(NULL, ":", &save)) {
		size_t n = strlen(d) + strlen(argv0) + 2;
		char *f = malloc(n);
		if (f)
			snprintf(f, n, "%s/%s", d, argv0);
		if (f && executable(f))
			found = f;
		else
			free(f);
	}
	free(dirs);
	return found;
}

/* env plus PATH and HOME of this process (pointers borrowed; the array malloc'd). */
static char **env_with_path(const char *const *env)
{
	size_t n = 0;
	while (env && env[n])
		n++;
	char **v = calloc(n + 3, sizeof *v);
	if (!v)
		return NULL;
	for (size_t i = 0; i < n; i++)
		v[i] = (char *)env[i];
	static const char *const keep[] = {"PATH", "HOME"};
	for (size_t k = 0; k < 2; k++) {
		for (char **p = environ; p && *p; p++)
			if (strncmp(*p, keep[k], strlen(keep[k])) == 0 &&
			    (*p)[strlen(keep[k])] == '=')
				v[n++] = *p;
	}
	return v;
}

/* In the child: its own process group (so that the timeout reaches what it starts), the signals
 * mltop ignores or blocks (SIGPIPE, …) back to their defaults, output to the pipe, stdin from
 * /dev/null, every other descriptor closed, then execve. Only async-signal-safe calls. */
static void child(const char *path, const char *const *argv, char **env, int out)
{
	static const int sigs[] = {SIGPIPE, SIGINT, SIGQUIT, SIGTERM, SIGHUP, SIGCHLD, SIGWINCH};
	struct sigaction dfl;
	sigset_t none;
	memset(&dfl, 0, sizeof dfl);
	dfl.sa_handler = SIG_DFL;
	for (size_t i = 0; i < sizeof sigs / sizeof sigs[0]; i++)
		sigaction(sigs[i], &dfl, NULL);
	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);
	setpgid(0, 0);
	int nul = open("/dev/null", O_RDONLY);
	if (nul >= 0)
		dup2(nul, 0);
	dup2(out, 1);
	dup2(out, 2);
	for (int fd = 3; fd < 4096; fd++) /* nothing of mltop's (sockets, the cache) is handed on */
		close(fd);
	execve(path, (char *const *)argv, env);
	_exit(127);
}

static struct hook *spawn(const char *path, const char *const *argv, char **env, long timeout_ms,
                          struct err *e)
{
	int fds[2];
	struct hook *h = calloc(1, sizeof *h);
	if (!h || pipe(fds) < 0) {
		free(h);
		err_set(e, ERR_IO, "hook: %s", strerror(errno));
		return NULL;
	}
	fcntl(fds[0], F_SETFD, FD_CLOEXEC);
	fcntl(fds[1], F_SETFD, FD_CLOEXEC);
	pid_t pid = fork();
	if (pid == 0)
		child(path, argv, env, fds[1]);
	close(fds[1]);
	if (pid < 0) {
		close(fds[0]);
		free(h);
		err_set(e, ERR_IO, "hook: fork: %s", strerror(errno));
		return NULL;
	}
	setpgid(pid, pid); /* also here: no race with a signal sent before the child ran */
	fcntl(fds[0], F_SETFL, fcntl(fds[0], F_GETFL) | O_NONBLOCK);
	h->pid = pid;
	h->fd = fds[0];
	h->status = -1;
	h->deadline = clock_mono_ms() + (timeout_ms > 0 ? timeout_ms : HOOK_TIMEOUT_MS);
	return h;
}

struct hook *hook_start(const char *const *argv, const char *const *env, long timeout_ms,
                        struct err *e)
{
	if (!argv || !argv[0] || !*argv[0]) {
		err_set(e, ERR_ARG, "hook: no command");
		return NULL;
	}
	char *path = resolve(argv[0]);
	char **full = path ? env_with_path(env) : NULL;
	struct hook *h = NULL;
	if (!path)
		err_set(e, ERR_CONFIG, "hook: %s: not found or not executable", argv[0]);
	else if (!full)
		err_set(e, ERR_NOMEM, "hook: out of memory");
	else
		h = spawn(path, argv, full, timeout_ms, e);
	free(path);
	free(full);
	return h;
}

static void read_some(struct hook *h)
{
	char buf[8192];
	for (;;) {
		ssize_t k = read(h->fd, buf, sizeof buf);
		if (k < 0 && errno == EINTR)
			continue;
		if (k < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
			return;
		if (k <= 0) {
			close(h->fd);
			h->fd = -1;
			return;
		}
		size_t room = h->len < HOOK_OUTPUT_MAX ? HOOK_OUTPUT_MAX - h->len : 0;
		size_t take = (size_t)k < room ? (size_t)k : room;
		char *p = take ? realloc(h->out, h->len + take + 1) : h->out;
		if (take && p) {
			memcpy(p + h->len, buf, take);
			h->out = p;
			h->len += take;
			h->out[h->len] = '\0';
		} else {
			take = 0;
		}
		h->dropped += (size_t)k - take;
	}
}

static void reap(struct hook *h)
{
	int st;
	pid_t r = waitpid(h->pid, &st, WNOHANG);
	if (r != h->pid)
		return;
	h->status = WIFEXITED(st) ? WEXITSTATUS(st) : WIFSIGNALED(st) ? 128 + WTERMSIG(st) : -1;
	h->pid = 0;
}

static void enforce_timeout(struct hook *h)
{
	int64_t now = clock_mono_ms();
	if (!h->pid || now < h->deadline)
		return;
	if (!h->kill_at) {
		h->timed_out = 1;
		kill(-h->pid, SIGTERM);
		h->kill_at = now + HOOK_GRACE_MS;
	} else if (now >= h->kill_at) {
		kill(-h->pid, SIGKILL);
	}
}

int hook_poll(struct hook *h)
{
	if (!h)
		return 0;
	if (h->fd >= 0)
		read_some(h);
	if (h->pid)
		reap(h);
	enforce_timeout(h);
	/* a grandchild holding the pipe open does not keep the hook running once it ended */
	if (!h->pid && h->fd >= 0) {
		read_some(h);
		if (h->fd >= 0) {
			close(h->fd);
			h->fd = -1;
		}
	}
	return h->pid != 0 || h->fd >= 0;
}

void hook_wait(struct hook *h)
{
	while (hook_poll(h))
		usleep(2000);
}

int hook_exit_code(const struct hook *h)
{
	return h && !h->pid ? h->status : -1;
}

int hook_timed_out(const struct hook *h)
{
	return h ? h->timed_out : 0;
}

const char *hook_output(const struct hook *h, size_t *len)
{
	if (len)
		*len = h && h->out ? h->len : 0;
	return h && h->out ? h->out : "";
}

size_t hook_output_dropped(const struct hook *h)
{
	return h ? h->dropped : 0;
}

void hook_describe(const struct hook *h, char *buf, size_t n)
{
	int code = hook_exit_code(h);
	int k;
	if (h && h->pid)
		k = snprintf(buf, n, "running");
	else if (code > 128)
		k = snprintf(buf, n, "killed by signal %d%s", code - 128,
		             h->timed_out ? " after the timeout" : "");
	else
		k = snprintf(buf, n, "exit %d%s", code,
		             h && h->timed_out ? " after the timeout" : "");
	if (h && h->dropped && k > 0 && (size_t)k < n)
		snprintf(buf + k, n - (size_t)k, ", %zu bytes of output not kept", h->dropped);
}

void hook_free(struct hook **hp)
{
	if (!hp || !*hp)
		return;
	struct hook *h = *hp;
	if (h->pid) {
		kill(-h->pid, SIGKILL);
		waitpid(h->pid, NULL, 0);
	}
	if (h->fd >= 0)
		close(h->fd);
	free(h->out);
	free(h);
	*hp = NULL;
}
