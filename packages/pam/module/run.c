/* Runs the check hook: a fresh process with a clean environment, the password on a pipe to its
   stdin (never argv or env), its stdout collected up to a bound, all under one deadline. */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "pwguard.h"

static long now_ms(void)
{
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return ts.tv_sec * 1000L + ts.tv_nsec / 1000000L;
}

/* Refuses a hook another user could replace: it runs with root's effective uid under passwd. */
static int hook_usable(const char *hook, struct pwg_result *res)
{
  struct stat st;
  if (stat(hook, &st) != 0) {
    snprintf(res->why, sizeof res->why, "hook %s: %s", hook, strerror(errno));
    return 0;
  }
  if (!S_ISREG(st.st_mode) || (st.st_mode & 0111) == 0) {
    snprintf(res->why, sizeof res->why, "hook %s is not an executable file", hook);
    return 0;
  }
  if ((st.st_uid != 0 && st.st_uid != geteuid()) || (st.st_mode & 022) != 0) {
    snprintf(res->why, sizeof res->why, "hook %s is writable by others or not owned by root", hook);
    return 0;
  }
  return 1;
}

static void close_from(int lowfd)
{
#ifdef SYS_close_range
  if (syscall(SYS_close_range, lowfd, ~0U, 0) == 0)
    return;
#endif
  long max = sysconf(_SC_OPEN_MAX);
  if (max < 0 || max > 65536)
    max = 65536;
  for (int fd = lowfd; fd < max; fd++)
    close(fd);
}

/* In the child between fork and execve: async-signal-safe calls only. */
static void exec_child(const char *hook, char *const argv[], char *const envp[], int in_fd, int out_fd)
{
  sigset_t none;
  int devnull = open("/dev/null", O_WRONLY);
  /* Move the pipe ends above 2 first: a caller with closed std fds may have been handed 0-2. */
  in_fd = fcntl(in_fd, F_DUPFD, 10);
  out_fd = fcntl(out_fd, F_DUPFD, 10);
  devnull = devnull < 0 ? -1 : fcntl(devnull, F_DUPFD, 10);
  if (in_fd < 0 || out_fd < 0 || devnull < 0 || dup2(in_fd, 0) < 0 || dup2(out_fd, 1) < 0 ||
      dup2(devnull, 2) < 0)
    _exit(127);
  close_from(3);
  /* Its own session, as pam_exec does: no controlling terminal to read the user's keystrokes
     from, and its own process group, so a timeout kills what it started too. */
  setsid();
  signal(SIGPIPE, SIG_DFL);
  signal(SIGCHLD, SIG_DFL);
  sigemptyset(&none);
  sigprocmask(SIG_SETMASK, &none, NULL);
  execve(hook, argv, envp);
  _exit(127);
}

struct io {
  int in_fd, out_fd;
  const char *pw;
  size_t pwlen, sent;
  struct pwg_result *res;
};

static void feed(struct io *io)
{
  ssize_t n = write(io->in_fd, io->pw + io->sent, io->pwlen - io->sent);
  if (n > 0)
    io->sent += (size_t)n;
  /* EPIPE: the hook exited or closed stdin without reading; its exit status still decides. */
  if (io->sent == io->pwlen || (n < 0 && errno != EAGAIN && errno != EINTR)) {
    close(io->in_fd);
    io->in_fd = -1;
  }
}

/* Reads what is ready on stdout (into the buffer, or dropped once it is full). Returns read(2)'s n. */
static ssize_t drain(struct io *io)
{
  char scratch[512];
  struct pwg_result *r = io->res;
  size_t room = PWG_OUT_MAX - r->out_len;
  ssize_t n = room > 0 ? read(io->out_fd, r->out + r->out_len, room) : read(io->out_fd, scratch, sizeof scratch);
  if (n > 0 && room > 0)
    r->out_len += (size_t)n;
  explicit_bzero(scratch, sizeof scratch);
  if (n == 0 || (n < 0 && errno != EAGAIN && errno != EINTR)) {
    close(io->out_fd);
    io->out_fd = -1;
  }
  return n;
}

/* Feeds stdin and reads stdout until the hook exits, then takes what it left in the pipe. The
   hook's exit is the end, not stdout's end-of-file: a child it left behind may hold stdout open. */
static int pump(struct io *io, pid_t pid, long deadline, int *status)
{
  for (;;) {
    pid_t w = waitpid(pid, status, WNOHANG);
    if (w == pid) {
      /* Only into the buffer: something the hook left behind may write for ever. */
      while (io->out_fd >= 0 && io->res->out_len < PWG_OUT_MAX && drain(io) > 0)
        ;
      return 0;
    }
    if (w < 0 && errno != EINTR)
      return -1;
    long left = deadline - now_ms();
    if (left <= 0)
      return -1;
    /* Closed ends are -1, which poll skips; the slice bounds how late an exit is noticed. */
    struct pollfd p[2] = {{io->out_fd, POLLIN, 0}, {io->in_fd, POLLOUT, 0}};
    int n = poll(p, 2, left < 10 ? (int)left : 10);
    if (n <= 0)
      continue;
    if (io->in_fd >= 0 && p[1].revents)
      feed(io);
    if (io->out_fd >= 0 && p[0].revents)
      drain(io);
  }
}

static int has_reason(const struct pwg_result *r)
{
  /* The same bytes pwg_each_line would show: a line of control characters is no reason. */
  for (size_t i = 0; i < r->out_len; i++)
    if ((unsigned char)r->out[i] > ' ' && r->out[i] != 0x7f)
      return 1;
  return 0;
}

/* Exit 0 accepts; exit 1 and 2 count only with a line to show: a Node.js hook that dies on an
   uncaught exception also exits 1, but prints nothing on stdout. Everything else is an error. */
static void classify(int status, struct pwg_result *r)
{
  int code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  if (code == 0)
    r->outcome = PWG_ACCEPT;
  else if ((code == 1 || code == 2) && has_reason(r))
    r->outcome = code == 1 ? PWG_REJECT : PWG_REFUSE;
  else if (code == 1 || code == 2)
    snprintf(r->why, sizeof r->why, "hook exited %d without a message", code);
  else if (WIFEXITED(status))
    snprintf(r->why, sizeof r->why, "hook exited with status %d", WEXITSTATUS(status));
  else if (WIFSIGNALED(status))
    snprintf(r->why, sizeof r->why, "hook killed by signal %d", WTERMSIG(status));
}

static void supervise(pid_t pid, int timeout_s, struct io *io)
{
  long deadline = now_ms() + timeout_s * 1000L;
  int status = 0;
  int done = pump(io, pid, deadline, &status) == 0;
  if (io->in_fd >= 0)
    close(io->in_fd);
  if (io->out_fd >= 0)
    close(io->out_fd);
  if (!done) {
    kill(-pid, SIGKILL);
    kill(pid, SIGKILL);
    while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
      ;
    snprintf(io->res->why, sizeof io->res->why, "hook timed out after %d s", timeout_s);
    return;
  }
  classify(status, io->res);
}

/* A write to a hook that already exited must not kill the application with SIGPIPE: block it in
   this thread, and swallow one that became pending here. */
static void swallow_sigpipe(int was_pending)
{
  sigset_t pending, pipe_set;
  sigpending(&pending);
  if (!was_pending && sigismember(&pending, SIGPIPE)) {
    struct timespec zero = {0, 0};
    sigemptyset(&pipe_set);
    sigaddset(&pipe_set, SIGPIPE);
    while (sigtimedwait(&pipe_set, NULL, &zero) < 0 && errno == EINTR)
      ;
  }
}

static void spawn_and_supervise(const char *hook, char *const argv[], int timeout_s, char *const envp[], struct io *io)
{
  int in[2], out[2], err;
  if (pipe2(in, O_CLOEXEC) != 0) {
    err = errno;
    goto fail;
  }
  if (pipe2(out, O_CLOEXEC) != 0) {
    err = errno;
    close(in[0]);
    close(in[1]);
    goto fail;
  }
  pid_t pid = fork();
  err = errno;
  if (pid == 0)
    exec_child(hook, argv, envp, in[0], out[1]);
  close(in[0]);
  close(out[1]);
  if (pid < 0) {
    close(in[1]);
    close(out[0]);
    goto fail;
  }
  fcntl(in[1], F_SETFL, O_NONBLOCK);
  fcntl(out[0], F_SETFL, O_NONBLOCK);
  io->in_fd = in[1];
  io->out_fd = out[0];
  supervise(pid, timeout_s, io);
  return;
fail:
  snprintf(io->res->why, sizeof io->res->why, "cannot start hook: %s", strerror(err));
}

void pwg_run_hook(const char *hook, const char *config, const char *word, int timeout_s, char *const envp[],
                  const char *pw, size_t pwlen, struct pwg_result *res)
{
  /* Built before fork: the child may only make async-signal-safe calls. */
  char config_word[PATH_MAX + sizeof "config="];
  char *argv[] = {(char *)hook, NULL, NULL, NULL};
  int argc = 1;
  struct io io = {-1, -1, pw, pwlen, 0, res};
  struct sigaction dfl, old_chld;
  sigset_t pipe_set, old_mask, pending;

  memset(res, 0, sizeof *res);
  res->outcome = PWG_ERROR;
  if (!hook_usable(hook, res))
    return;
  if (config != NULL && config[0] != '\0') {
    if ((size_t)snprintf(config_word, sizeof config_word, "config=%s", config) >= sizeof config_word) {
      snprintf(res->why, sizeof res->why, "config path longer than %d bytes", PATH_MAX);
      return;
    }
    argv[argc++] = config_word;
  }
  if (word != NULL)
    argv[argc++] = (char *)word;
  /* The application may ignore SIGCHLD (then waitpid cannot see the hook) or reap in a handler. */
  memset(&dfl, 0, sizeof dfl);
  dfl.sa_handler = SIG_DFL;
  sigaction(SIGCHLD, &dfl, &old_chld);
  sigemptyset(&pipe_set);
  sigaddset(&pipe_set, SIGPIPE);
  sigpending(&pending);
  int pipe_was_pending = sigismember(&pending, SIGPIPE);
  pthread_sigmask(SIG_BLOCK, &pipe_set, &old_mask);

  spawn_and_supervise(hook, argv, timeout_s, envp, &io);

  swallow_sigpipe(pipe_was_pending);
  pthread_sigmask(SIG_SETMASK, &old_mask, NULL);
  sigaction(SIGCHLD, &old_chld, NULL);
  res->out[res->out_len] = '\0';
}
