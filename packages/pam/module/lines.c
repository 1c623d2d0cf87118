/* The hook's stdout, made safe to show on a terminal one line at a time. */
#include <stdio.h>
#include <syslog.h>
#include <string.h>

#include "pwguard.h"

int pwg_each_line(const char *out, size_t len, void (*show)(const char *line, void *ctx), void *ctx)
{
  char line[PWG_MAX_LINE + 1];
  size_t n = 0;
  int shown = 0;
  for (size_t i = 0; i <= len && shown < PWG_MAX_LINES; i++) {
    unsigned char c = i < len ? (unsigned char)out[i] : '\n';
    if (c == '\n') {
      while (n > 0 && line[n - 1] == ' ')
        n--;
      line[n] = '\0';
      if (n > 0) {
        show(line, ctx);
        shown++;
      }
      n = 0;
      continue;
    }
    /* Escape sequences could rewrite the user's terminal; UTF-8 bytes (>= 0x80) pass. */
    if ((c < ' ' && c != '\t') || c == 0x7f)
      continue;
    if (n < PWG_MAX_LINE)
      line[n++] = c == '\t' ? ' ' : (char)c;
  }
  explicit_bzero(line, sizeof line);
  return shown;
}

void pwg_message_add(const char *line, void *ctx)
{
  struct pwg_message *m = ctx;
  int n = snprintf(m->text + m->len, sizeof m->text - m->len, "%s%s", m->len ? "\n" : "", line);
  if (n > 0)
    m->len = m->len + (size_t)n < sizeof m->text ? m->len + (size_t)n : sizeof m->text - 1;
}

int pwg_verdict(const struct pwg_result *res, int on_error, const char *tag, const char *user,
                struct pwg_message *msg)
{
  switch (res->outcome) {
  case PWG_ACCEPT:
    return 1;
  case PWG_REJECT:
  case PWG_REFUSE:
    pwg_each_line(res->out, res->out_len, pwg_message_add, msg);
    return 0;
  case PWG_ERROR:
    break;
  }
  syslog(LOG_AUTHPRIV | LOG_ERR, "%s: no verdict for %.64s: %s (on_error=%s)", tag, user, res->why,
         on_error ? "accept" : "reject");
  if (on_error)
    return 1;
  pwg_message_add(PWG_CANNOT, msg);
  return 0;
}
