#include "url.h"

#include <string.h>

static int is_hex(char c)
{
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') ||
           (c >= 'A' && c <= 'F');
}

static int url_char(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
           (c >= '0' && c <= '9') ||
           (c != '\0' && strchr("-._~:/?#@!$&'()*+,;=%", c));
}

size_t dp_url_length(const char *s, size_t len)
{
    size_t p;
    if (len >= 8 && memcmp(s, "https://", 8) == 0)
        p = 8;
    else if (len >= 7 && memcmp(s, "http://", 7) == 0)
        p = 7;
    else
        return 0;
    size_t i = p;
    while (i < len && url_char(s[i])) {
        if (s[i] == '%' && !(i + 2 < len && is_hex(s[i + 1]) && is_hex(s[i + 2])))
            break;
        i++;
    }
    long open = 0; /* '(' minus ')' in s[p..i), kept as i shrinks */
    for (size_t k = p; k < i; k++)
        open += s[k] == '(' ? 1 : s[k] == ')' ? -1 : 0;
    while (i > p) {
        if (strchr(".,;:!?'", s[i - 1])) {
            i--;
        } else if (s[i - 1] == ')' && open < 0) {
            i--;
            open++;
        } else {
            break;
        }
    }
    return i > p ? i : 0;
}
