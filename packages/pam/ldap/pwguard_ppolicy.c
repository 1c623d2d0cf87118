/* pwguard_ppolicy.so: an OpenLDAP ppolicy password-quality module (pwdCheckModule) that asks
   pwguard's hook, so an LDAP password change (Password Modify, a modify of userPassword) gets the
   verdict and reason texts `pwguard check` and the PAM module give.

   slapd's ppolicy overlay dlopens the module and calls check_password() for every change it
   judges (pwdCheckQuality > 0), with a global mutex held. The hook runs the way pam_pwguard.so
   runs it (../module/run.c: a fresh process, the password on a pipe to its stdin, a clean
   environment, bounded output, a hard deadline after which its process group is killed), with
     PAM_TYPE=password  PAM_USER=<uid, else the DN's first RDN value>
     PWGUARD_AVENUE=ldap  PWGUARD_GECOS=<cn, sn, givenName, displayName, gecos, mail>
   Exit 0 accepts; 1 refuses with the hook's lines; 2 refuses (the hook could not judge, its
   policy says reject). Anything else (hook missing, crashed, timed out, bad option) refuses too,
   unless the options say on_error=accept: a module that cannot judge fails closed.

   Options: the words of pwdCheckModuleArg when the policy entry has one, else the words of the
   file PWG_PPOLICY_CONF (default /etc/ldap/pwguard-ppolicy.conf; `#` starts a comment), else the
   defaults; the same key=value words as pam_pwguard.so (../module/options.def): hook=/abs/path,
   timeout=N, on_error=reject|accept, debug. */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>

#include "../module/pwguard.h"
#include "slapd-entry.h"

#ifndef PWG_PPOLICY_CONF
#define PWG_PPOLICY_CONF "/etc/ldap/pwguard-ppolicy.conf"
#endif

#define EXPORT __attribute__((visibility("default")))
#define CONF_MAX 4096
#define MAX_WORDS 32
/* Bounds of what the entry gives the hook: a few names, never a whole entry. */
#define VALUE_MAX 256
#define GECOS_MAX 1024

/* The module's options as words, from pwdCheckModuleArg or the config file, in buf. */
struct words {
  char buf[CONF_MAX + 1];
  const char *w[MAX_WORDS];
  int n;
  const char *from;
};

static int split_words(struct words *ws)
{
  int comment = 0;
  char *p = ws->buf;
  ws->n = 0;
  while (*p) {
    if (*p == '\n')
      comment = 0;
    if (*p == '#')
      comment = 1;
    if (comment || isspace((unsigned char)*p)) {
      *p++ = '\0';
      continue;
    }
    if (ws->n == MAX_WORDS)
      return -1;
    ws->w[ws->n++] = p;
    while (*p && !isspace((unsigned char)*p) && *p != '#')
      p++;
  }
  return 0;
}

/* Returns 0, or -1 with why set (an option file that exists but cannot be read is an error). */
static int read_words(const struct berval *arg, struct words *ws, char *why, size_t whylen)
{
  size_t len = 0;
  if (arg != NULL && arg->bv_val != NULL && arg->bv_len > 0) {
    ws->from = "pwdCheckModuleArg";
    if (arg->bv_len > CONF_MAX) {
      snprintf(why, whylen, "pwdCheckModuleArg is longer than %d bytes", CONF_MAX);
      return -1;
    }
    memcpy(ws->buf, arg->bv_val, arg->bv_len);
    len = arg->bv_len;
  } else {
    ws->from = PWG_PPOLICY_CONF;
    FILE *f = fopen(PWG_PPOLICY_CONF, "re");
    if (f == NULL && errno != ENOENT) {
      snprintf(why, whylen, "cannot read %s: %s", PWG_PPOLICY_CONF, strerror(errno));
      return -1;
    }
    if (f != NULL) {
      len = fread(ws->buf, 1, CONF_MAX, f);
      int bad = ferror(f) || !feof(f);
      fclose(f);
      if (bad) {
        snprintf(why, whylen, "cannot read %s (or longer than %d bytes)", PWG_PPOLICY_CONF, CONF_MAX);
        return -1;
      }
    }
  }
  ws->buf[len] = '\0';
  if (strlen(ws->buf) != len || split_words(ws) != 0) {
    snprintf(why, whylen, "%s: more than %d words or a NUL byte", ws->from, MAX_WORDS);
    return -1;
  }
  return 0;
}

/* Appends a value to dst (at most cap bytes with the NUL), control characters dropped. */
static void append(char *dst, size_t cap, const char *sep, const char *src, size_t len)
{
  size_t n = strlen(dst);
  if (len > VALUE_MAX)
    len = VALUE_MAX;
  if (n > 0 && n + strlen(sep) < cap) {
    memcpy(dst + n, sep, strlen(sep));
    n += strlen(sep);
  }
  for (size_t i = 0; i < len && src[i] != '\0' && n + 1 < cap; i++)
    if ((unsigned char)src[i] >= ' ' && src[i] != 0x7f)
      dst[n++] = src[i];
  dst[n] = '\0';
}

static const char *const GECOS_ATTRS[] = {"cn", "sn", "givenName", "displayName", "gecos", "mail", NULL};

static int is_gecos_attr(const struct berval *name)
{
  for (int i = 0; GECOS_ATTRS[i]; i++)
    if (strlen(GECOS_ATTRS[i]) == name->bv_len && strncasecmp(GECOS_ATTRS[i], name->bv_val, name->bv_len) == 0)
      return 1;
  return 0;
}

/* The account name and full-name words the hook judges with, from the entry being changed. */
static void entry_context(const struct pwg_entry *e, char *user, size_t ucap, char *gecos, size_t gcap)
{
  user[0] = gecos[0] = '\0';
  if (e == NULL)
    return;
  for (const struct pwg_attr *a = e->e_attrs; a != NULL; a = a->a_next) {
    const struct berval *name = &a->a_desc->ad_cname;
    if (a->a_vals == NULL)
      continue;
    if (name->bv_len == 3 && strncasecmp(name->bv_val, "uid", 3) == 0 && a->a_vals[0].bv_val && user[0] == '\0')
      append(user, ucap, "", a->a_vals[0].bv_val, a->a_vals[0].bv_len);
    else if (is_gecos_attr(name))
      for (unsigned i = 0; i < a->a_numvals && a->a_vals[i].bv_val; i++)
        append(gecos, gcap, ",", a->a_vals[i].bv_val, a->a_vals[i].bv_len);
  }
  if (user[0] == '\0' && e->e_name.bv_val != NULL) {
    /* No uid: the value of the DN's first RDN (cn=alice,ou=people,... -> alice). */
    const char *dn = e->e_name.bv_val, *eq = memchr(dn, '=', e->e_name.bv_len);
    if (eq != NULL) {
      size_t len = strcspn(eq + 1, ",+");
      append(user, ucap, "", eq + 1, len);
    }
  }
}

static char *join_kv(const char *k, const char *v)
{
  size_t n = strlen(k) + strlen(v) + 2;
  char *s = malloc(n);
  if (s != NULL)
    snprintf(s, n, "%s=%s", k, v);
  return s;
}

/* The verdict: 0 accept, else non-zero with msg set (the hook's lines, or why it could not judge). */
static int judge(const char *pw, const struct pwg_entry *e, const struct berval *arg, struct pwg_message *msg)
{
  struct words ws;
  struct pwg_opts o;
  char why[200] = "";
  char user[VALUE_MAX + 1], gecos[GECOS_MAX + 1];
  int rc = 1;

  msg->len = 0;
  msg->text[0] = '\0';
  if (read_words(arg, &ws, why, sizeof why) != 0) {
    syslog(LOG_AUTHPRIV | LOG_ERR, "pwguard_ppolicy: %s", why);
    pwg_message_add(PWG_CANNOT, msg);
    return 1;
  }
  pwg_parse_opts(&o, ws.n, ws.w);
  if (o.bad != NULL) {
    syslog(LOG_AUTHPRIV | LOG_ERR, "pwguard_ppolicy: %s: unknown or invalid option '%.80s'", ws.from, o.bad);
    pwg_message_add(PWG_CANNOT, msg);
    return 1;
  }
  entry_context(e, user, sizeof user, gecos, sizeof gecos);
  char *env[] = {join_kv("PAM_TYPE", "password"), join_kv("PAM_USER", user[0] ? user : "?"),
                 join_kv("PWGUARD_AVENUE", "ldap"), join_kv("PWGUARD_GECOS", gecos), NULL};
  struct pwg_result *res = calloc(1, sizeof *res);
  if (res == NULL || !env[0] || !env[1] || !env[2] || !env[3]) {
    syslog(LOG_AUTHPRIV | LOG_ERR, "pwguard_ppolicy: out of memory");
    pwg_message_add(PWG_CANNOT, msg);
    goto out;
  }
  /* enforce_for_root is not passed: a directory change is never judged as root's. */
  pwg_run_hook(o.hook, o.config, NULL, o.timeout, env, pw, strlen(pw), res);
  if (pwg_verdict(res, o.on_error, "pwguard_ppolicy", user, msg))
    rc = 0;
  if (o.debug)
    syslog(LOG_AUTHPRIV | LOG_INFO, "pwguard_ppolicy: %.64s: %s", user, rc == 0 ? "accepted" : "refused");
out:
  if (res != NULL) {
    explicit_bzero(res, sizeof *res);
    free(res);
  }
  for (int i = 0; i < 4; i++)
    free(env[i]);
  return rc;
}

#ifdef PWG_SLAPD_2_6
/* slapd 2.6: errmsg has a buffer of bv_len bytes; a longer message gets one of ours (ppolicy.c
   frees it when bv_val is no longer its own buffer). */
EXPORT int check_password(char *pw, struct berval *errmsg, void *entry, struct berval *arg)
{
  struct pwg_message *msg = malloc(sizeof *msg);
  if (msg == NULL)
    return 1;
  int rc = judge(pw, entry, arg, msg);
  if (rc != 0 && errmsg != NULL) {
    if (msg->len < errmsg->bv_len) {
      memcpy(errmsg->bv_val, msg->text, msg->len + 1);
    } else {
      char *copy = strdup(msg->text);
      if (copy != NULL) {
        errmsg->bv_val = copy;
        errmsg->bv_len = msg->len;
      }
    }
  }
  free(msg);
  return rc;
}
#else
/* slapd 2.5: *err is NULL on entry; ppolicy.c sends it as the diagnostic text and free()s it. */
EXPORT int check_password(char *pw, char **err, void *entry, struct berval *arg)
{
  struct pwg_message *msg = malloc(sizeof *msg);
  if (msg == NULL)
    return 1;
  int rc = judge(pw, entry, arg, msg);
  if (rc != 0 && err != NULL)
    *err = strdup(msg->text);
  free(msg);
  return rc;
}
#endif
