/* The hook's stdout, made safe to show on a terminal one line at a time. */
#include <stdio.h>
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
