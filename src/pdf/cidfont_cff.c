/* Just enough of a CFF table to embed it: whether it is CID-keyed, its
 * ROS and the CID of each glyph (the charset). Every offset is checked
 * against the table's length: the font is input like any other. */
#include <stdio.h>
#include <string.h>

#include "cidfont_int.h"

typedef struct cff_index {
    size_t data;  /* offset of the byte before the first object */
    size_t end;   /* offset just past the INDEX */
    unsigned count, offsize;
    size_t offsets; /* offset of the offset array */
} cff_index;

static unsigned get(const uint8_t *p, unsigned n)
{
    unsigned v = 0;
    for (unsigned i = 0; i < n; i++)
        v = v << 8 | p[i];
    return v;
}

/* Reads the INDEX at pos; -1 when it does not fit in len bytes. */
static int read_index(const uint8_t *d, size_t len, size_t pos, cff_index *x)
{
    memset(x, 0, sizeof *x);
    if (pos + 2 > len)
        return -1;
    x->count = get(d + pos, 2);
    if (x->count == 0) {
        x->end = pos + 2;
        return 0;
    }
    if (pos + 3 > len)
        return -1;
    x->offsize = d[pos + 2];
    if (x->offsize < 1 || x->offsize > 4)
        return -1;
    x->offsets = pos + 3;
    size_t table = (size_t)(x->count + 1) * x->offsize;
    if (x->offsets + table > len)
        return -1;
    x->data = x->offsets + table - 1;
    size_t last = get(d + x->offsets + (size_t)x->count * x->offsize, x->offsize);
    x->end = x->data + last;
    return x->end > len || last < 1 ? -1 : 0;
}

/* Object i of an INDEX as [*start, *stop); -1 when out of bounds. */
static int index_object(const uint8_t *d, const cff_index *x, unsigned i, size_t *start,
                        size_t *stop)
{
    if (i >= x->count)
        return -1;
    size_t a = get(d + x->offsets + (size_t)i * x->offsize, x->offsize);
    size_t b = get(d + x->offsets + (size_t)(i + 1) * x->offsize, x->offsize);
    if (a < 1 || b < a || x->data + b > x->end)
        return -1;
    *start = x->data + a;
    *stop = x->data + b;
    return 0;
}

/* The custom string sid names (standard strings, below 391, are not
 * needed here: registries and orderings are custom); "" when unknown. */
static void string_of(const uint8_t *d, const cff_index *strings, long sid, char *out,
                      size_t cap)
{
    size_t a, b;
    out[0] = '\0';
    if (sid < 391 || index_object(d, strings, (unsigned)(sid - 391), &a, &b) < 0)
        return;
    size_t n = b - a < cap - 1 ? b - a : cap - 1;
    for (size_t i = 0; i < n; i++) /* printable ASCII only: it goes into a PDF string */
        out[i] = d[a + i] >= 0x20 && d[a + i] < 0x7f ? (char)d[a + i] : '_';
    out[n] = '\0';
}

/* The CFF table in the order it is laid out (header, Name and Top DICT
 * indexes, strings, charset), each offset checked against len before it
 * is read; one function so that every bound check sits beside its read. */
int dp_cff_read(const uint8_t *d, size_t len, dp_cff_info *info, uint16_t *cids, size_t cap)
{
    memset(info, 0, sizeof *info);
    if (len < 4 || d[0] != 1 || d[2] < 4)
        return -1;
    cff_index names, tops, strings;
    if (read_index(d, len, d[2], &names) < 0 || read_index(d, len, names.end, &tops) < 0 ||
        read_index(d, len, tops.end, &strings) < 0 || tops.count < 1)
        return -1;
    size_t p, stop;
    if (index_object(d, &tops, 0, &p, &stop) < 0)
        return -1;

    /* the Top DICT: operands then an operator; only integers matter */
    long ops[48];
    int nops = 0;
    long charset = 0, charstrings = -1, ros[3] = {0, 0, 0};
    while (p < stop) {
        unsigned b0 = d[p];
        long v;
        if (b0 >= 32 && b0 <= 246) {
            v = (long)b0 - 139;
            p += 1;
        } else if (b0 >= 247 && b0 <= 250 && p + 1 < stop) {
            v = ((long)b0 - 247) * 256 + d[p + 1] + 108;
            p += 2;
        } else if (b0 >= 251 && b0 <= 254 && p + 1 < stop) {
            v = -((long)b0 - 251) * 256 - d[p + 1] - 108;
            p += 2;
        } else if (b0 == 28 && p + 2 < stop) {
            v = (int16_t)get(d + p + 1, 2);
            p += 3;
        } else if (b0 == 29 && p + 4 < stop) {
            v = (int32_t)get(d + p + 1, 4);
            p += 5;
        } else if (b0 == 30) { /* a real: nibbles up to an 0xf */
            p++;
            while (p < stop && (d[p] & 0x0f) != 0x0f && (d[p] >> 4) != 0x0f)
                p++;
            p++;
            v = 0;
        } else if (b0 <= 21) {
            unsigned op = b0;
            if (b0 == 12) {
                if (p + 1 >= stop)
                    return -1;
                op = 1200 + d[p + 1];
                p++;
            }
            p++;
            if (op == 15 && nops >= 1)
                charset = ops[nops - 1];
            else if (op == 17 && nops >= 1)
                charstrings = ops[nops - 1];
            else if (op == 1230 && nops >= 3) {
                info->cid_keyed = 1;
                memcpy(ros, ops + nops - 3, sizeof ros);
            }
            nops = 0;
            continue;
        } else {
            return -1;
        }
        if (nops < 48)
            ops[nops++] = v;
    }
    if (charstrings <= 0 || (size_t)charstrings >= len)
        return -1;
    cff_index cs;
    if (read_index(d, len, (size_t)charstrings, &cs) < 0 || cs.count == 0)
        return -1;
    info->nglyphs = cs.count;
    if (!info->cid_keyed)
        return 0;
    string_of(d, &strings, ros[0], info->registry, sizeof info->registry);
    string_of(d, &strings, ros[1], info->ordering, sizeof info->ordering);
    info->supplement = (int)ros[2];

    /* the charset: glyph → CID (glyph 0 is CID 0) */
    size_t n = info->nglyphs < cap ? info->nglyphs : cap;
    if (!cids || n == 0)
        return 0;
    cids[0] = 0;
    if (charset <= 2) { /* none given: CIDs are glyph ids */
        for (size_t g = 1; g < n; g++)
            cids[g] = (uint16_t)g;
        return 0;
    }
    if ((size_t)charset >= len)
        return -1;
    size_t q = (size_t)charset + 1;
    unsigned format = d[charset];
    size_t g = 1;
    if (format == 0) {
        if (q + 2 * (size_t)(info->nglyphs - 1) > len)
            return -1;
        for (; g < n; g++)
            cids[g] = (uint16_t)get(d + q + 2 * (g - 1), 2);
        return 0;
    }
    if (format != 1 && format != 2)
        return -1;
    unsigned nleft_size = format == 1 ? 1 : 2;
    while (g < info->nglyphs) {
        if (q + 2 + nleft_size > len)
            return -1;
        unsigned first = get(d + q, 2);
        unsigned left = get(d + q + 2, nleft_size);
        q += 2 + nleft_size;
        for (unsigned k = 0; k <= left && g < info->nglyphs; k++, g++) {
            if (first + k > 0xFFFF)
                return -1;
            if (g < n)
                cids[g] = (uint16_t)(first + k);
        }
    }
    return 0;
}
