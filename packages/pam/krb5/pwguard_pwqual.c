/* pwguard_pwqual.so: an MIT Kerberos password-quality plugin (kadm5 `pwqual` interface, see
   <krb5/pwqual_plugin.h>) that asks pwguard's hook, so a password change through kadmind
   (`kpasswd`, remote `kadmin cpw`) or kadmin.local gets the verdict and reason texts
   `pwguard check`, the PAM module and the LDAP module give.

   kadmind loads it from  [plugins] pwqual = { module = pwguard:/path/pwguard_pwqual.so }  and
   calls check() for every password it is about to set (its own checks, a policy's minimum length
   and classes, come first). The hook runs the way pam_pwguard.so runs it (../module/run.c: a
   fresh process, the password on a pipe to its stdin, a clean environment, bounded output, a hard
   deadline after which its process group is killed: kadmind answers one request at a time), with
     PAM_TYPE=password  PAM_USER=<the principal's first component, realm stripped>
     PWGUARD_AVENUE=kerberos  PWGUARD_GECOS=<the principal's other components (alice/admin: admin)>
   Exit 0 accepts; 1 refuses with the hook's lines; 2 refuses (the hook could not judge, its
   policy says reject). Anything else (hook missing, crashed, timed out, bad option) refuses too,
   unless the options say on_error=accept: a plugin that cannot judge fails closed. A refusal is
   KADM5_PASS_Q_GENERIC with pwguard's lines as the error message (krb5_set_error_message).

   Options: the relations of the profile section [pwguard] (kdc.conf or krb5.conf), one per
   option of the shared table ../module/options.def: hook = /abs/path, timeout = 1..300,
   on_error = reject|accept, config = /abs/path (given to the hook as config=FILE),
   debug = true|false. A relation that is not one of these (or PAM's retry and use_authtok, which
   mean nothing here) refuses every change, and says so in syslog. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <syslog.h>

#include <krb5/pwqual_plugin.h>
#include <profile.h>

#include "../module/pwguard.h"

#define EXPORT __attribute__((visibility("default")))
#define SECTION "pwguard"
#define MAX_WORDS 32
#define NAME_MAX_LEN 256


/* The options as read when kadmind opened the plugin: words (name=value) parsed by the shared
   table, or why they could not be used. */
struct krb5_pwqual_moddata_st {
  char *words[MAX_WORDS];
  int n;
  struct pwg_opts opts;
  char why[200];
};

/* The table's options a Kerberos profile may set; PAM-only ones are refused. */
static int known_option(const char *name, int *is_flag)
{
  *is_flag = 0;
  if (strcmp(name, "retry") == 0 || strcmp(name, "use_authtok") == 0)
    return 0;
#define PWG_INT(name_, min, max, dflt, help) if (strcmp(name, #name_) == 0) return 1;
#define PWG_CHOICE(name_, first, second, help) if (strcmp(name, #name_) == 0) return 1;
#define PWG_PATH(name_, dflt, help) if (strcmp(name, #name_) == 0) return 1;
#define PWG_FLAG(name_, help) if (strcmp(name, #name_) == 0) { *is_flag = 1; return 1; }
#define PWG_PAM(word, help)
#define PWG_PAM_PREFIX(prefix, help)
#include "../module/options.def"
  return 0;
}

static int truthy(const char *v, int *out)
{
  static const char *const yes[] = {"true", "yes", "on", "1", NULL}, *const no[] = {"false", "no", "off", "0", NULL};
  for (int i = 0; yes[i]; i++)
    if (strcasecmp(v, yes[i]) == 0)
      return *out = 1, 0;
  for (int i = 0; no[i]; i++)
    if (strcasecmp(v, no[i]) == 0)
      return *out = 0, 0;
  return -1;
}

static char *join_kv(const char *k, const char *v)
{
  size_t n = strlen(k) + strlen(v) + 2;
  char *s = malloc(n);
  if (s != NULL)
    snprintf(s, n, "%s=%s", k, v);
  return s;
}

/* Turns the [pwguard] relations into option words; 0, or -1 with d->why set. */
static int read_profile(krb5_context context, struct krb5_pwqual_moddata_st *d)
{
  profile_t profile = NULL;
  const char *section[] = {SECTION, NULL};
  char **names = NULL;
  int rc = -1;

  if (krb5_get_profile(context, &profile) != 0) {
    snprintf(d->why, sizeof d->why, "cannot read the Kerberos profile");
    return -1;
  }
  long err = profile_get_relation_names(profile, section, &names);
  if (err == PROF_NO_SECTION || err == PROF_NO_RELATION) {
    rc = 0; /* no [pwguard] section: the defaults */
    goto out;
  }
  if (err != 0) {
    snprintf(d->why, sizeof d->why, "cannot read the [%s] section of the Kerberos profile", SECTION);
    goto out;
  }
  for (int i = 0; names[i] != NULL; i++) {
    int is_flag, on = 0;
    char *value = NULL;
    if (!known_option(names[i], &is_flag)) {
      snprintf(d->why, sizeof d->why, "[%s] %.80s: not an option of the Kerberos plugin", SECTION, names[i]);
      goto out;
    }
    if (profile_get_string(profile, SECTION, names[i], NULL, NULL, &value) != 0 || value == NULL) {
      snprintf(d->why, sizeof d->why, "[%s] %.80s: cannot read its value", SECTION, names[i]);
      goto out;
    }
    if (d->n == MAX_WORDS) {
      profile_release_string(value);
      snprintf(d->why, sizeof d->why, "[%s]: more than %d relations", SECTION, MAX_WORDS);
      goto out;
    }
    if (is_flag && truthy(value, &on) != 0) {
      snprintf(d->why, sizeof d->why, "[%s] %.80s = %.80s: expected true or false", SECTION, names[i], value);
      profile_release_string(value);
      goto out;
    }
    if (is_flag && !on) {
      profile_release_string(value);
      continue;
    }
    d->words[d->n] = is_flag ? strdup(names[i]) : join_kv(names[i], value);
    profile_release_string(value);
    if (d->words[d->n++] == NULL) {
      snprintf(d->why, sizeof d->why, "out of memory");
      goto out;
    }
  }
  rc = 0;
out:
  if (names != NULL)
    profile_free_list(names);
  profile_release(profile);
  return rc;
}

static void free_data(struct krb5_pwqual_moddata_st *d)
{
  if (d == NULL)
    return;
  for (int i = 0; i < d->n; i++)
    free(d->words[i]);
  free(d);
}

static krb5_error_code pwg_open(krb5_context context, const char *dict_file, krb5_pwqual_moddata *data)
{
  (void)dict_file;
  struct krb5_pwqual_moddata_st *d = calloc(1, sizeof *d);
  if (d == NULL)
    return ENOMEM;
  /* Bad options do not stop kadmind from starting: every check refuses and says why in syslog. */
  if (read_profile(context, d) == 0) {
    pwg_parse_opts(&d->opts, d->n, (const char **)d->words);
    if (d->opts.bad != NULL)
      snprintf(d->why, sizeof d->why, "[%s]: invalid value in '%.120s'", SECTION, d->opts.bad);
  }
  if (d->why[0] != '\0')
    syslog(LOG_AUTHPRIV | LOG_ERR, "pwguard_pwqual: %s", d->why);
  *data = d;
  return 0;
}

static void pwg_close(krb5_context context, krb5_pwqual_moddata data)
{
  (void)context;
  free_data(data);
}

/* Copies a principal component, control characters dropped, at most cap-1 bytes. */
static void component(char *dst, size_t cap, const krb5_data *c)
{
  size_t n = strlen(dst);
  for (unsigned i = 0; i < c->length && n + 1 < cap; i++)
    if ((unsigned char)c->data[i] >= ' ' && c->data[i] != 0x7f && c->data[i] != ',')
      dst[n++] = c->data[i];
  dst[n] = '\0';
}

static krb5_error_code refuse(krb5_context context, krb5_error_code code, const struct pwg_message *msg)
{
  krb5_set_error_message(context, code, "%s", msg->text);
  return code;
}

static krb5_error_code pwg_check(krb5_context context, krb5_pwqual_moddata data, const char *password,
                                 const char *policy_name, krb5_principal princ, const char **languages)
{
  (void)policy_name;
  (void)languages;
  struct krb5_pwqual_moddata_st *d = data;
  struct pwg_message msg = {{0}, 0};
  char user[NAME_MAX_LEN + 1] = "", gecos[NAME_MAX_LEN + 1] = "";
  krb5_error_code ret = KADM5_PASS_Q_GENERIC;

  if (d == NULL || d->why[0] != '\0') {
    syslog(LOG_AUTHPRIV | LOG_ERR, "pwguard_pwqual: change refused: %s", d != NULL ? d->why : "no options");
    pwg_message_add(PWG_CANNOT, &msg);
    return refuse(context, KADM5_PASS_Q_GENERIC, &msg);
  }
  if (princ != NULL && princ->length > 0) {
    component(user, sizeof user, &princ->data[0]);
    for (krb5_int32 i = 1; i < princ->length; i++) {
      if (gecos[0] != '\0' && strlen(gecos) + 1 < sizeof gecos)
        strcat(gecos, ",");
      component(gecos, sizeof gecos, &princ->data[i]);
    }
  }
  char *env[] = {join_kv("PAM_TYPE", "password"), join_kv("PAM_USER", user[0] ? user : "?"),
                 join_kv("PWGUARD_AVENUE", "kerberos"), join_kv("PWGUARD_GECOS", gecos), NULL};
  struct pwg_result *res = calloc(1, sizeof *res);
  if (res == NULL || !env[0] || !env[1] || !env[2] || !env[3]) {
    syslog(LOG_AUTHPRIV | LOG_ERR, "pwguard_pwqual: out of memory");
    pwg_message_add(PWG_CANNOT, &msg);
    goto out;
  }
  pwg_run_hook(d->opts.hook, d->opts.config, NULL, d->opts.timeout, env, password, strlen(password), res);
  if (pwg_verdict(res, d->opts.on_error, "pwguard_pwqual", user, &msg))
    ret = 0;
  if (d->opts.debug)
    syslog(LOG_AUTHPRIV | LOG_INFO, "pwguard_pwqual: %.64s: %s", user, ret == 0 ? "accepted" : "refused");
out:
  if (res != NULL) {
    explicit_bzero(res, sizeof *res);
    free(res);
  }
  for (int i = 0; i < 4; i++)
    free(env[i]);
  if (ret != 0) {
    ret = refuse(context, ret, &msg);
    explicit_bzero(&msg, sizeof msg);
  }
  return ret;
}

EXPORT krb5_error_code pwqual_pwguard_initvt(krb5_context context, int maj_ver, int min_ver,
                                             krb5_plugin_vtable vtable);

EXPORT krb5_error_code pwqual_pwguard_initvt(krb5_context context, int maj_ver, int min_ver,
                                             krb5_plugin_vtable vtable)
{
  (void)context;
  (void)min_ver;
  if (maj_ver != 1)
    return KRB5_PLUGIN_VER_NOTSUPP;
  krb5_pwqual_vtable vt = (krb5_pwqual_vtable)vtable;
  vt->name = "pwguard";
  vt->open = pwg_open;
  vt->check = pwg_check;
  vt->close = pwg_close;
  return 0;
}
