/* Text in the HTML report: escaped, valid UTF-8 only, cut to a length.
 * The bottom of the render layer's HTML parts (used by all the others). */
#include <string.h>

#include "render.h"

/* Length of the valid UTF-8 sequence at s (1..4), 0 when invalid. */
static size_t utf8_len(const unsigned char *s) {
  unsigned c = s[0];
  size_t n = c < 0x80 ? 1 : c >= 0xc2 && c <= 0xdf ? 2
             : c >= 0xe0 && c <= 0xef                ? 3
             : c >= 0xf0 && c <= 0xf4                ? 4
                                                     : 0;
  for (size_t i = 1; i < n; i++)
    if ((s[i] & 0xc0) != 0x80) return 0;
  if (n == 3 && ((c == 0xe0 && s[1] < 0xa0) || (c == 0xed && s[1] > 0x9f)))
    return 0; /* overlong, or a UTF-16 surrogate */
  if (n == 4 && ((c == 0xf0 && s[1] < 0x90) || (c == 0xf4 && s[1] > 0x8f)))
    return 0;
  return n;
}

void ls__html_text(FILE *f, const char *s, size_t max) {
  const unsigned char *p = (const unsigned char *)(s ? s : "");
  size_t used = 0;
  while (*p) {
    size_t n = utf8_len(p);
    if (max && used + (n ? n : 1) > max) {
      fputs("…", f);
      return;
    }
    if (!n) { /* a byte that is not UTF-8: the replacement character */
      fputs("\xef\xbf\xbd", f);
      p++, used++;
      continue;
    }
    switch (*p) {
    case '&': fputs("&amp;", f); break;
    case '<': fputs("&lt;", f); break;
    case '>': fputs("&gt;", f); break;
    case '"': fputs("&quot;", f); break;
    case '\'': fputs("&#39;", f); break;
    default:
      if (*p < 0x20 || *p == 0x7f) putc('?', f);
      else fwrite(p, 1, n, f);
    }
    p += n, used += n;
  }
}

/* Colours as CSS variables: one set per theme, charts use them by class. */
