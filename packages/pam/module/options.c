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

/* Each option of the one table (options.def) as one test: accepted (0) or out of range (-1);
   sizeof(#name) is the length of "name=". */
static int parse_one(struct pwg_opts *o, const char *a)
{
#define PWG_INT(name, min, max, dflt, help) \
  if (has_prefix(a, #name "=")) return parse_int(a + sizeof(#name), min, max, &o->name);
#define PWG_CHOICE(name, first, second, help) \
  if (strcmp(a, #name "=" #first) == 0 || strcmp(a, #name "=" #second) == 0) { \
    o->name = strcmp(a, #name "=" #second) == 0; \
    return 0; \
  }
/* PAM gives the hook no PATH: only an absolute path means the same program every time. */
#define PWG_PATH(name, dflt, help) \
  if (has_prefix(a, #name "=")) { \
    if (a[sizeof(#name)] != '/') return -1; \
    o->name = a + sizeof(#name); \
    return 0; \
  }
#define PWG_FLAG(name, help) \
  if (strcmp(a, #name) == 0) { o->name = 1; return 0; }
/* Words that pam_get_authtok reads from the module's own arguments: accepted and left to it. */
#define PWG_PAM(word, help) \
  if (strcmp(a, #word) == 0) return 0;
#define PWG_PAM_PREFIX(prefix, help) \
  if (has_prefix(a, #prefix)) return 0;
#include "options.def"
  return -1;
}

void pwg_parse_opts(struct pwg_opts *o, int argc, const char **argv)
{
#define PWG_INT(name, min, max, dflt, help) o->name = dflt;
#define PWG_CHOICE(name, first, second, help) o->name = 0;
#define PWG_PATH(name, dflt, help) o->name = dflt;
#define PWG_FLAG(name, help) o->name = 0;
#define PWG_PAM(word, help)
#define PWG_PAM_PREFIX(prefix, help)
#include "options.def"
  o->bad = NULL;
  for (int i = 0; i < argc; i++)
    if (parse_one(o, argv[i]) != 0 && o->bad == NULL)
      o->bad = argv[i];
}
