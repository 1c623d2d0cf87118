/* pam_pwguard: shared declarations between the PAM glue, the option parser and the hook runner. */
#ifndef PWGUARD_H
#define PWGUARD_H

#include <stddef.h>

/* Enough for a screenful of reasons; the rest of a chatty hook's output is drained and dropped. */
#define PWG_OUT_MAX 4096
#define PWG_MAX_LINES 8
#define PWG_MAX_LINE 240

/* The module's options, one field each, from the one table (options.def): an int option holds
   its number, a choice 0 for its first value and 1 for its second, a flag 0 or 1, a path its text. */
struct pwg_opts {
#define PWG_INT(name, min, max, dflt, help) int name;
#define PWG_CHOICE(name, first, second, help) int name;
#define PWG_PATH(name, dflt, help) const char *name;
#define PWG_FLAG(name, help) int name;
#define PWG_PAM(word, help)
#define PWG_PAM_PREFIX(prefix, help)
#include "options.def"
  /* The first option that could not be used, for the one-line error; NULL when all were fine. */
  const char *bad;
};

void pwg_parse_opts(struct pwg_opts *o, int argc, const char **argv);

/* ACCEPT: exit 0. REJECT: exit 1 with reasons, ask again. REFUSE: exit 2 with a message, the hook
   could not judge and its policy's on_error says reject: stop. ERROR: anything else (on_error=). */
enum pwg_outcome { PWG_ACCEPT, PWG_REJECT, PWG_REFUSE, PWG_ERROR };

struct pwg_result {
  enum pwg_outcome outcome;
  /* The hook's stdout (bounded, NUL-terminated); may echo what it was given, so it is wiped. */
  char out[PWG_OUT_MAX + 1];
  size_t out_len;
  /* Why the hook could not give a verdict (PWG_ERROR only): for the user and syslog, never secret. */
  char why[160];
};

/* Runs `hook` with only `envp`, writes `pw` to its stdin, collects stdout, waits at most
   timeout_s seconds (then kills its process group). Never throws away the caller's signal state.
   The hook's arguments: `config=FILE` when config is neither NULL nor "", then `word` unless it
   is NULL (a fixed option word such as enforce_for_root, never a secret). */
void pwg_run_hook(const char *hook, const char *config, const char *word, int timeout_s, char *const envp[],
                  const char *pw, size_t pwlen, struct pwg_result *res);

/* Calls show(line, ctx) for each non-empty line of out, control characters removed, at most
   PWG_MAX_LINES lines of at most PWG_MAX_LINE bytes. Returns how many lines were shown. */
int pwg_each_line(const char *out, size_t len, void (*show)(const char *line, void *ctx), void *ctx);

/* The hook's lines joined by newlines, cut at PWG_OUT_MAX bytes: the one message a directory
   server or kadmind passes on (the LDAP module and the Kerberos plugin). */
struct pwg_message {
  char text[PWG_OUT_MAX + 1];
  size_t len;
};
/* Appends `line` to the struct pwg_message at ctx (a pwg_each_line callback). */
void pwg_message_add(const char *line, void *ctx);

/* What the LDAP module and the Kerberos plugin say when the hook could not judge. */
#define PWG_CANNOT "pwguard: the password check could not run; the password was not changed."

/* A hook result as their verdict: 1 to accept (the hook accepted, or gave no verdict and on_error
   is accept), else 0 with the hook's lines, or PWG_CANNOT, added to msg. A missing verdict is
   logged to syslog as `tag` with the user, never the password. */
int pwg_verdict(const struct pwg_result *res, int on_error, const char *tag, const char *user,
                struct pwg_message *msg);

#endif
