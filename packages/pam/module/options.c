/* Module arguments: `key=value` words from the PAM stack line. */
#include <stdlib.h>
#include <string.h>

#include "pwguard.h"

/* Parses a whole decimal number in [lo, hi]; anything else (sign, junk, overflow) is refused. */
static int parse_int(const char *s, int lo, int hi, int *out)
{
  long v = 0;
  if (*s == '\0')
    return -1;
  for (; *s; s++) {
    if (*s < '0' || *s > '9')
      return -1;
    v = v * 10 + (*s - '0');
    if (v > hi)
      return -1;
  }
  if (v < lo)
    return -1;
  *out = (int)v;
  return 0;
}

static int has_prefix(const char *s, const char *p) { return strncmp(s, p, strlen(p)) == 0; }

/* Words that pam_get_authtok reads from the module's own arguments: accepted and left to it. */
static int is_authtok_word(const char *a)
{
  return strcmp(a, "use_first_pass") == 0 ||
         strcmp(a, "try_first_pass") == 0 || has_prefix(a, "authtok_type=");
}

static int parse_one(struct pwg_opts *o, const char *a)
{
  if (has_prefix(a, "retry="))
    return parse_int(a + 6, 1, PWG_MAX_RETRY, &o->retry);
  if (has_prefix(a, "timeout="))
    return parse_int(a + 8, 1, PWG_MAX_TIMEOUT_S, &o->timeout_s);
  if (has_prefix(a, "hook=")) {
    /* PAM gives the hook no PATH: only an absolute path means the same program every time. */
    if (a[5] != '/')
      return -1;
    o->hook = a + 5;
    return 0;
  }
  if (strcmp(a, "on_error=reject") == 0 || strcmp(a, "on_error=accept") == 0) {
    o->on_error_accept = a[9] == 'a';
    return 0;
  }
  if (strcmp(a, "debug") == 0) {
    o->debug = 1;
    return 0;
  }
  if (strcmp(a, "use_authtok") == 0) {
    o->use_authtok = 1;
    return 0;
  }
  if (is_authtok_word(a))
    return 0;
  return -1;
}

void pwg_parse_opts(struct pwg_opts *o, int argc, const char **argv)
{
  o->retry = PWG_DEFAULT_RETRY;
  o->timeout_s = PWG_DEFAULT_TIMEOUT_S;
  o->on_error_accept = 0;
  o->debug = 0;
  o->use_authtok = 0;
  o->hook = PWG_DEFAULT_HOOK;
  o->bad = NULL;
  for (int i = 0; i < argc; i++)
    if (parse_one(o, argv[i]) != 0 && o->bad == NULL)
      o->bad = argv[i];
}
