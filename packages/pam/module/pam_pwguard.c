/* pam_pwguard: the password-change check for every Linux-PAM. Asks for the new password like
   pam_pwquality, lets the pwguard hook judge it, shows the reasons and asks again.

     password requisite pam_pwguard.so [retry=N] [hook=/abs/path] [timeout=S] [on_error=reject|accept]

   The hook protocol (docs/pam-module.md): password on stdin, PAM_USER/PAM_TYPE/PAM_SERVICE in an
   otherwise empty environment; when PAM has the old password (PAM_OLDAUTHTOK: a user changing
   their own), stdin is NEW NUL OLD and PWGUARD_OLDAUTHTOK=stdin says so; exit 0 accepts (stdout lines are warnings), exit 1 with reason
   lines rejects (ask again), exit 2 with a message refuses (the hook could not judge; stop),
   anything else is an error handled by on_error. */
#define PAM_SM_PASSWORD
#include <security/pam_ext.h>
#include <security/pam_modules.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>

#include "pwguard.h"

#define PWG_EXPORT __attribute__((visibility("default")))

struct shown {
  pam_handle_t *pamh;
  int as_error;
  /* A refused password's reasons read as pam_pwquality's do ("BAD PASSWORD: ..."), so users and
     scripts that know that form recognise them; a hook line that already says it is left as is. */
  int bad_password;
};

#define BAD_PASSWORD "BAD PASSWORD: "

static void show_line(const char *line, void *ctx)
{
  struct shown *s = ctx;
  if (s->as_error && s->bad_password && strncmp(line, BAD_PASSWORD, sizeof BAD_PASSWORD - 1) != 0)
    pam_error(s->pamh, BAD_PASSWORD "%s", line);
  else if (s->as_error)
    pam_error(s->pamh, "%s", line);
  else
    pam_info(s->pamh, "%s", line);
}

static char *join_kv(const char *key, const char *value)
{
  size_t k = strlen(key), v = strlen(value);
  char *s = malloc(k + v + 2);
  if (s != NULL) {
    memcpy(s, key, k);
    s[k] = '=';
    memcpy(s + k + 1, value, v + 1);
  }
  return s;
}

#define PWG_ENV_SLOTS 5

/* Only these: the hook must not depend on (or be steered by) the caller's environment. The last
   one names where the old password is (stdin, after the new one), never the password itself. */
static int make_env(pam_handle_t *pamh, const char *user, int with_old, char *env[PWG_ENV_SLOTS])
{
  const void *service = NULL;
  if (pam_get_item(pamh, PAM_SERVICE, &service) != PAM_SUCCESS || service == NULL)
    service = "";
  env[0] = join_kv("PAM_USER", user);
  env[1] = join_kv("PAM_TYPE", "password");
  env[2] = join_kv("PAM_SERVICE", service);
  env[3] = with_old ? join_kv("PWGUARD_OLDAUTHTOK", "stdin") : NULL;
  env[4] = NULL;
  return env[0] && env[1] && env[2] && (env[3] || !with_old) ? 0 : -1;
}

static void free_env(char *env[PWG_ENV_SLOTS])
{
  for (int i = 0; i < PWG_ENV_SLOTS; i++)
    free(env[i]);
}

/* What the hook reads on stdin: the new password, or NEW NUL OLD when the old one is known. */
static char *hook_input(const char *tok, const char *old, size_t *len)
{
  size_t n = strlen(tok), m = old ? strlen(old) : 0;
  *len = old ? n + 1 + m : n;
  char *in = malloc(*len + 1);
  if (in == NULL)
    return NULL;
  memcpy(in, tok, n);
  if (old) {
    in[n] = '\0';
    memcpy(in + n + 1, old, m);
  }
  in[*len] = '\0';
  return in;
}

enum step { STEP_ASK_AGAIN, STEP_CONFIRM, STEP_FAIL };

/* Judges one candidate: shows the hook's lines and says what the retry loop does next. */
static enum step judge(pam_handle_t *pamh, int flags, const struct pwg_opts *o, char *env[PWG_ENV_SLOTS], const char *tok,
                       const char *old)
{
  size_t in_len = 0;
  struct pwg_result *r = calloc(1, sizeof *r);
  char *in = hook_input(tok, old, &in_len);
  enum step next = STEP_FAIL;
  if (r == NULL || in == NULL) {
    free(r);
    free(in);
    return STEP_FAIL;
  }
  pwg_run_hook(o->hook, o->config, o->enforce_for_root ? "enforce_for_root" : NULL, o->timeout, env, in, in_len, r);
  explicit_bzero(in, in_len);
  free(in);
  /* Only a judged refusal (exit 1) is a bad password; exit 2 means the hook could not judge. */
  struct shown s = {pamh, r->outcome == PWG_REJECT || r->outcome == PWG_REFUSE, r->outcome == PWG_REJECT};
  if (r->outcome == PWG_REJECT || r->outcome == PWG_REFUSE) {
    pwg_each_line(r->out, r->out_len, show_line, &s);
    /* Asking again cannot help when the hook could not judge at all (broken config, no store). */
    next = r->outcome == PWG_REJECT ? STEP_ASK_AGAIN : STEP_FAIL;
  } else if (r->outcome == PWG_ACCEPT) {
    if (!(flags & PAM_SILENT))
      pwg_each_line(r->out, r->out_len, show_line, &s);
    next = STEP_CONFIRM;
  } else {
    pam_syslog(pamh, LOG_ERR, "%s (on_error=%s)", r->why, o->on_error ? "accept" : "reject");
    if (o->on_error) {
      pam_error(pamh, "pwguard: the password check failed (%s); accepted without it.", r->why);
      next = STEP_CONFIRM;
    } else {
      pam_error(pamh, "pwguard: the password check failed (%s); password not changed.", r->why);
    }
  }
  if (o->debug)
    pam_syslog(pamh, LOG_DEBUG, "hook outcome %d", (int)r->outcome);
  explicit_bzero(r, sizeof *r);
  free(r);
  return next;
}

/* One prompt-judge-confirm round, as pam_pwquality does: reject before asking to retype. */
static enum step attempt(pam_handle_t *pamh, int flags, const struct pwg_opts *o, char *env[PWG_ENV_SLOTS], const char *old)
{
  const void *given = NULL;
  const char *tok = NULL;
  pam_get_item(pamh, PAM_AUTHTOK, &given);
  if (given == NULL && o->use_authtok) {
    pam_syslog(pamh, LOG_ERR, "use_authtok: no new password from an earlier module");
    return STEP_FAIL;
  }
  int rc = pam_get_authtok_noverify(pamh, &tok, NULL);
  if (rc != PAM_SUCCESS || tok == NULL) {
    pam_syslog(pamh, LOG_INFO, "no new password: %s", pam_strerror(pamh, rc));
    return STEP_FAIL;
  }
  if (*tok == '\0') {
    /* The hook would read an empty stdin as pam_exec on an old Linux-PAM; say what it is. */
    pam_error(pamh, BAD_PASSWORD "no password supplied");
    pam_set_item(pamh, PAM_AUTHTOK, NULL);
    return STEP_ASK_AGAIN;
  }
  enum step next = judge(pamh, flags, o, env, tok, old);
  if (next != STEP_CONFIRM) {
    pam_set_item(pamh, PAM_AUTHTOK, NULL);
    return next;
  }
  /* A token an earlier module set (use_first_pass/use_authtok) was confirmed there. */
  if (given != NULL)
    return STEP_CONFIRM;
  rc = pam_get_authtok_verify(pamh, &tok, NULL);
  if (rc == PAM_TRY_AGAIN)
    return STEP_ASK_AGAIN;
  return rc == PAM_SUCCESS ? STEP_CONFIRM : STEP_FAIL;
}

static int update_authtok(pam_handle_t *pamh, int flags, const struct pwg_opts *o)
{
  const char *user = NULL;
  const void *old = NULL;
  char *env[PWG_ENV_SLOTS] = {NULL, NULL, NULL, NULL, NULL};
  if (pam_get_user(pamh, &user, NULL) != PAM_SUCCESS || user == NULL || *user == '\0') {
    pam_syslog(pamh, LOG_ERR, "cannot determine the user name");
    return PAM_AUTHTOK_ERR;
  }
  /* Set in the preliminary pass (pam_unix asks "Current password") when users change their own;
     root changing a password has none. The hook compares the new one with it (difok). */
  if (pam_get_item(pamh, PAM_OLDAUTHTOK, &old) != PAM_SUCCESS || (old != NULL && *(const char *)old == '\0'))
    old = NULL;
  if (make_env(pamh, user, old != NULL, env) != 0) {
    free_env(env);
    return PAM_BUF_ERR;
  }
  int rc = PAM_AUTHTOK_ERR;
  for (int tries = 0; tries < o->retry; tries++) {
    enum step s = attempt(pamh, flags, o, env, old);
    if (s == STEP_ASK_AGAIN)
      continue;
    rc = s == STEP_CONFIRM ? PAM_SUCCESS : PAM_AUTHTOK_ERR;
    break;
  }
  if (rc != PAM_SUCCESS)
    pam_set_item(pamh, PAM_AUTHTOK, NULL);
  free_env(env);
  return rc;
}

PWG_EXPORT int pam_sm_chauthtok(pam_handle_t *pamh, int flags, int argc, const char **argv)
{
  struct pwg_opts o;
  /* Nothing to check before the new password exists (pam_unix asks for the old one in this pass). */
  if (flags & PAM_PRELIM_CHECK)
    return PAM_SUCCESS;
  if (!(flags & PAM_UPDATE_AUTHTOK))
    return PAM_SERVICE_ERR;
  pwg_parse_opts(&o, argc, argv);
  if (o.bad != NULL) {
    /* A typo such as on_eror=accept must not quietly weaken the stack: stop the change. */
    pam_syslog(pamh, LOG_ERR, "unknown or invalid option \"%s\"", o.bad);
    pam_error(pamh, "pwguard: invalid option \"%s\" for pam_pwguard.so in the PAM stack; password not changed.", o.bad);
    return PAM_SERVICE_ERR;
  }
  return update_authtok(pamh, flags, &o);
}
