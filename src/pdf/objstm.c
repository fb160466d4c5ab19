#include "objstm.h"

#include <stdlib.h>
#include <string.h>

#include "deflate.h"

/* Objects per object stream: readers load a whole stream to reach one
 * object, so very large documents get several. */
enum { PER_STREAM = 512 };

typedef struct objstm {
    dp_buf head, data; /* "number offset" pairs; the objects */
    size_t first, n;   /* where the objects start; how many */
} objstm;

typedef struct object {
    size_t offset, end; /* "N 0 obj" .. just after "endobj" */
    size_t body, body_end; /* the object's value */
    int stream;
    int dropped; /* a stream's /Length, now written in the stream itself */
    uint32_t in_stm, index; /* where it went: object stream number, index */
} object;

static const uint8_t *find(const uint8_t *from, const uint8_t *to, const char *needle)
{
    size_t n = strlen(needle);
    for (const uint8_t *p = from; p + n <= to; p++)
        if (*p == (uint8_t)needle[0] && memcmp(p, needle, n) == 0)
            return p;
    return NULL;
}

static const uint8_t *rfind(const uint8_t *from, const uint8_t *to, const char *needle)
{
    size_t n = strlen(needle);
    if ((size_t)(to - from) < n)
        return NULL;
    for (const uint8_t *p = to - n; p >= from; p--) {
        if (*p == (uint8_t)needle[0] && memcmp(p, needle, n) == 0)
            return p;
        if (p == from)
            break;
    }
    return NULL;
}

static int is_space(uint8_t c)
{
    return c == ' ' || c == '\n' || c == '\r' || c == '\t' || c == '\f' || c == 0;
}

/* Reads an unsigned decimal at *p (after spaces); -1 when there is none. */
static long long number(const uint8_t **p, const uint8_t *end)
{
    while (*p < end && is_space(**p))
        (*p)++;
    if (*p >= end || **p < '0' || **p > '9')
        return -1;
    long long v = 0;
    while (*p < end && **p >= '0' && **p <= '9' && v < (1LL << 40))
        v = v * 10 + (*(*p)++ - '0');
    return v;
}

static int is_delimiter(uint8_t c)
{
    return c == '(' || c == ')' || c == '<' || c == '>' || c == '[' || c == ']' ||
           c == '{' || c == '}' || c == '/' || c == '%';
}

/* Appends dictionary text d[0..n) with the whitespace it does not need
 * removed: one space only between two regular characters. Only for
 * dictionaries without strings (the caller checks). */
static dp_status put_compact(dp_buf *out, const uint8_t *d, size_t n)
{
    dp_status status = DP_OK;
    uint8_t prev = '<';
    for (size_t i = 0; i < n && status == DP_OK;) {
        if (is_space(d[i])) {
            while (i < n && is_space(d[i]))
                i++;
            if (i < n && !is_delimiter(prev) && !is_delimiter(d[i]))
                status = dp_buf_addc(out, ' ');
            continue;
        }
        prev = d[i];
        status = dp_buf_addc(out, (char)d[i++]);
    }
    return status;
}

/* "A B " (an object stream's number and offset): written by hand, as
 * there is one pair per object and printf's cost showed on large files. */
static dp_status put_pair(dp_buf *out, size_t a, size_t b)
{
    char tmp[48];
    size_t n = sizeof tmp;
    tmp[--n] = ' ';
    do
        tmp[--n] = (char)('0' + b % 10);
    while ((b /= 10) != 0);
    tmp[--n] = ' ';
    do
        tmp[--n] = (char)('0' + a % 10);
    while ((a /= 10) != 0);
    return dp_buf_add(out, tmp + n, sizeof tmp - n);
}

/* The value of object n if it is a plain non-negative integer, else -1. */
static long long int_value(const uint8_t *pdf, const object *objs, size_t count, long long n)
{
    if (n <= 0 || (size_t)n >= count || !objs[n].offset || objs[n].stream)
        return -1;
    const uint8_t *p = pdf + objs[n].body, *e = pdf + objs[n].body_end;
    long long v = number(&p, e);
    while (p < e && is_space(*p))
        p++;
    return p == e ? v : -1;
}

/*
 * Writes stream object o compactly: its dictionary without spare
 * whitespace and with /Length as a number (the separate length object
 * libharu makes is then dropped), the data as it was. Returns 0 when the
 * object is not in the shape expected (then nothing was written).
 */
/* The end of a stream object whose data is data[0..len). ISO 19005-2
 * (6.1.7.1) counts a CR LF before endstream as the end-of-line marker,
 * so under DP_OBJSTM_STRICT_EOL data ending in CR is followed by CR LF,
 * or a PDF/A reader would take its last byte for the marker. */
static const char *stream_end(const uint8_t *data, size_t len, int flags)
{
    return (flags & DP_OBJSTM_STRICT_EOL) && len && data[len - 1] == '\r'
               ? "\r\nendstream\nendobj\n" : "\nendstream\nendobj\n";
}

static int put_stream(dp_buf *out, const uint8_t *pdf, object *objs, size_t count, object *o,
                      int flags, dp_status *status)
{
    const uint8_t *b = pdf + o->body, *e = pdf + o->body_end;
    const uint8_t *kw = find(b, e, ">>\012stream\015\012");
    const uint8_t *data_end = rfind(b, e, "\012endstream");
    while (b < e && is_space(*b))
        b++;
    if (!kw || !data_end || e - b < 2 || memcmp(b, "<<", 2) != 0)
        return 0;
    const uint8_t *data = kw + 11; /* after ">>", LF, "stream", CR LF */
    if (data > data_end)
        return 0;
    for (const uint8_t *p = b + 2; p < kw; p++) /* strings: keep it as it is */
        if (*p == '(' || (*p == '<' && p[1] != '<' && p[-1] != '<'))
            return 0;
    const uint8_t *len_key = find(b, kw, "/Length ");
    if (!len_key)
        return 0;
    const uint8_t *q = len_key + 8;
    long long ref = number(&q, kw), gen = number(&q, kw);
    while (q < kw && is_space(*q))
        q++;
    if (ref < 0 || gen != 0 || q >= kw || *q != 'R' ||
        int_value(pdf, objs, count, ref) != (long long)(data_end - data))
        return 0;
    size_t start = out->len;
    dp_status st = dp_buf_printf(out, "%zu 0 obj\n", (size_t)(o - objs));
    if (st == DP_OK)
        st = put_compact(out, b, (size_t)(len_key - b));
    if (st == DP_OK)
        st = dp_buf_printf(out, "/Length %lld", (long long)(data_end - data));
    if (st == DP_OK)
        st = put_compact(out, q + 1, (size_t)(kw + 2 - (q + 1)));
    if (st == DP_OK)
        st = dp_buf_adds(out, "stream\n");
    if (st == DP_OK)
        st = dp_buf_add(out, data, (size_t)(data_end - data));
    if (st == DP_OK)
        st = dp_buf_adds(out, stream_end(data, (size_t)(data_end - data), flags));
    if (st != DP_OK) {
        out->len = start;
        *status = st;
        return 0;
    }
    objs[ref].dropped = 1;
    return 1;
}

static int cmp_offset(const void *a, const void *b)
{
    const object *x = *(const object *const *)a, *y = *(const object *const *)b;
    return (x->offset > y->offset) - (x->offset < y->offset);
}

/* Copies the value of key (a reference "N 0 R" or an array "[...]") from
 * the trailer dictionary to out as "/key value"; nothing if absent. */
static dp_status copy_key(dp_buf *out, const uint8_t *t, const uint8_t *end, const char *key)
{
    const uint8_t *k = find(t, end, key);
    if (!k)
        return DP_OK;
    const uint8_t *v = k + strlen(key);
    const uint8_t *stop = v;
    if (v < end && (*v == ' ' || *v == '\n')) {
        while (v < end && is_space(*v))
            v++;
        if (v < end && *v == '[') {
            stop = find(v, end, "]");
            if (!stop)
                return DP_ERR;
            stop++;
        } else {
            stop = find(v, end, "R");
            if (!stop)
                return DP_ERR;
            stop++;
        }
    }
    dp_status st = dp_buf_adds(out, key);
    if (st == DP_OK)
        st = dp_buf_addc(out, ' ');
    if (st == DP_OK)
        st = dp_buf_add(out, v, (size_t)(stop - v));
    return st;
}

static void put_be(uint8_t *p, uint64_t v, int bytes)
{
    for (int i = bytes - 1; i >= 0; i--) {
        p[i] = (uint8_t)v;
        v >>= 8;
    }
}

dp_status dp_objstm_pack(const uint8_t *pdf, size_t len, dp_buf *out)
{
    return dp_objstm_pack_ex(pdf, len, out, 0);
}

/* One pass over the file in the order the new file is written (find the
 * objects, header, object streams, their bytes, the xref stream), kept
 * whole so that the offsets each step records are used where they read. */
dp_status dp_objstm_pack_ex(const uint8_t *pdf, size_t len, dp_buf *out, int flags)
{
    dp_status status = DP_ERR;
    const uint8_t *end = pdf + len;
    object *objs = NULL;
    object **order = NULL;
    dp_deflate_job *jobs = NULL;
    objstm *stms = NULL;
    uint64_t *where = NULL; /* new offset of each object */
    size_t nstm = 0, count = 0;
    size_t start_len = out->len;

    /* the classic xref table, found from startxref */
    const uint8_t *sx = rfind(pdf, end, "startxref");
    if (!sx)
        goto done;
    const uint8_t *p = sx + 9;
    long long xref_at = number(&p, end);
    if (xref_at < 0 || (size_t)xref_at >= len || memcmp(pdf + xref_at, "xref", 4) != 0)
        goto done;
    p = pdf + xref_at + 4;
    long long first = number(&p, end), n = number(&p, end);
    if (first != 0 || n < 1 || n > (1LL << 24))
        goto done;
    count = (size_t)n;
    objs = calloc(count, sizeof *objs);
    // NOLINTNEXTLINE(bugprone-sizeof-expression): an array of pointers to objects is meant
    order = calloc(count, sizeof *order);
    if (!objs || !order) {
        status = DP_ENOMEM;
        goto done;
    }
    size_t used = 0;
    for (size_t i = 0; i < count; i++) {
        long long off = number(&p, end), gen = number(&p, end);
        while (p < end && is_space(*p))
            p++;
        if (off < 0 || gen < 0 || p >= end || (*p != 'n' && *p != 'f'))
            goto done;
        if (*p++ == 'n' && i > 0) {
            if (gen != 0 || (size_t)off >= (size_t)xref_at)
                goto done;
            objs[i].offset = (size_t)off;
            order[used++] = &objs[i];
        }
    }
    const uint8_t *trailer = find(p, end, "trailer");
    if (!trailer || !find(trailer, end, "/Root"))
        goto done;

    /* each object runs to the next one (or the table) */
    // NOLINTNEXTLINE(bugprone-sizeof-expression): the array holds pointers
    qsort(order, used, sizeof *order, cmp_offset);
    for (size_t k = 0; k < used; k++) {
        object *o = order[k];
        size_t stop = k + 1 < used ? order[k + 1]->offset : (size_t)xref_at;
        const uint8_t *s = pdf + o->offset;
        const uint8_t *q = s;
        long long num = number(&q, pdf + stop);
        if (num != (long long)(o - objs) || number(&q, pdf + stop) != 0)
            goto done;
        while (q < pdf + stop && is_space(*q))
            q++;
        if (pdf + stop - q < 3 || memcmp(q, "obj", 3) != 0)
            goto done;
        const uint8_t *e = rfind(q, pdf + stop, "endobj");
        if (!e)
            goto done;
        o->body = (size_t)(q + 3 - pdf);
        o->body_end = (size_t)(e - pdf);
        o->end = (size_t)(e + 6 - pdf);
        /* a stream's value ends with the keyword endstream; no other
         * value can (strings end in ) or >, arrays in ]) */
        const uint8_t *t = e;
        while (t > q && is_space(t[-1]))
            t--;
        o->stream = t - q >= 9 && memcmp(t - 9, "endstream", 9) == 0;
    }

    /* the new file: the header, then the streams (their data as it was) */
    size_t max_stm = (count + PER_STREAM - 1) / PER_STREAM;
    where = calloc(count + max_stm + 1, sizeof *where);
    if (!where) {
        status = DP_ENOMEM;
        goto done;
    }
    status = dp_buf_add(out, "%PDF-1.5\n%\xE2\xE3\xCF\xD3\n", 15);
    for (size_t k = 0; k < used && status == DP_OK; k++) {
        object *o = order[k];
        if (!o->stream)
            continue;
        where[o - objs] = out->len;
        if (put_stream(out, pdf, objs, count, o, flags, &status) || status != DP_OK)
            continue;
        /* as libharu wrote it: data, LF, endstream */
        const uint8_t *data_end = rfind(pdf + o->offset, pdf + o->end, "\012endstream");
        if ((flags & DP_OBJSTM_STRICT_EOL) && data_end && data_end[-1] == '\r') {
            status = dp_buf_add(out, pdf + o->offset, (size_t)(data_end - (pdf + o->offset)));
            if (status == DP_OK)
                status = dp_buf_addc(out, '\r');
            if (status == DP_OK)
                status = dp_buf_add(out, data_end, (size_t)(pdf + o->end - data_end));
        } else {
            status = dp_buf_add(out, pdf + o->offset, o->end - o->offset);
        }
        if (status == DP_OK)
            status = dp_buf_addc(out, '\n');
    }
    if (status != DP_OK)
        goto done;

    /* object streams: the other objects in number order */
    size_t inner = 0;
    for (size_t i = 1; i < count; i++)
        inner += objs[i].offset && !objs[i].stream && !objs[i].dropped;
    nstm = (inner + PER_STREAM - 1) / PER_STREAM;
    stms = calloc(nstm ? nstm : 1, sizeof *stms);
    jobs = calloc(nstm ? nstm : 1, sizeof *jobs);
    if (!stms || !jobs) {
        status = DP_ENOMEM;
        goto done;
    }
    for (size_t i = 1, s = 0; i < count && status == DP_OK; i++) {
        object *o = &objs[i];
        if (!o->offset || o->stream || o->dropped)
            continue;
        objstm *m = &stms[s];
        if (m->n == 0) {
            dp_buf_init(&m->head);
            dp_buf_init(&m->data);
        }
        const uint8_t *b = pdf + o->body, *be = pdf + o->body_end;
        while (b < be && is_space(*b))
            b++;
        while (be > b && is_space(be[-1]))
            be--;
        o->in_stm = (uint32_t)(count + s);
        o->index = (uint32_t)m->n++;
        status = put_pair(&m->head, i, m->data.len);
        if (status == DP_OK)
            status = dp_buf_add(&m->data, b, (size_t)(be - b));
        if (status == DP_OK)
            status = dp_buf_addc(&m->data, '\n');
        if (m->n == PER_STREAM)
            s++;
    }
    /* each stream's bytes: the "number offset" pairs, then the objects */
    for (size_t s = 0; s < nstm && status == DP_OK; s++) {
        objstm *m = &stms[s];
        m->first = m->head.len;
        status = dp_buf_add(&m->head, m->data.data, m->data.len);
        jobs[s].in = (const uint8_t *)m->head.data;
        jobs[s].in_len = m->head.len;
    }
    if (status == DP_OK)
        status = dp_deflate_run(jobs, nstm, 1, DP_DEFLATE_STREAMS);
    for (size_t s = 0; s < nstm && status == DP_OK; s++) {
        where[count + s] = out->len;
        status = dp_buf_printf(out,
                               "%zu 0 obj\n<</Type/ObjStm/N %zu/First %zu/Filter/FlateDecode"
                               "/Length %zu>>stream\n",
                               count + s, stms[s].n, stms[s].first, jobs[s].out_len);
        if (status == DP_OK)
            status = dp_buf_add(out, jobs[s].out, jobs[s].out_len);
        if (status == DP_OK)
            status = dp_buf_adds(out, stream_end(jobs[s].out, jobs[s].out_len, flags));
    }
    if (status != DP_OK)
        goto done;
    uint32_t total = (uint32_t)(count + nstm + 1); /* + the xref stream */

    /* the cross-reference stream: type, offset or object stream, index */
    uint32_t self = total - 1;
    uint8_t *rows = calloc(total, 7);
    if (!rows) {
        status = DP_ENOMEM;
        goto done;
    }
    where[self] = out->len;
    for (uint32_t i = 0; i < total; i++) {
        uint8_t *r = rows + (size_t)i * 7;
        if (i == 0) { /* the head of the free list */
            put_be(r + 5, 65535, 2);
        } else if (i < count && objs[i].dropped) {
            /* free: nothing refers to it any more */
        } else if (i < count && objs[i].offset && !objs[i].stream) {
            r[0] = 2;
            put_be(r + 1, objs[i].in_stm, 4);
            put_be(r + 5, objs[i].index, 2);
        } else if (i >= count || objs[i].offset) {
            r[0] = 1;
            put_be(r + 1, where[i], 4);
        }
    }
    dp_deflate_job xj = {.in = rows, .in_len = (size_t)total * 7};
    if (status == DP_OK)
        status = dp_deflate_run(&xj, 1, 1, DP_DEFLATE_STREAMS);
    if (status == DP_OK)
        status = dp_buf_printf(out, "%u 0 obj\n<</Type/XRef/Size %u/W[1 4 2]/Filter/FlateDecode"
                                    "/Length %zu",
                               self, total, xj.out_len);
    const uint8_t *tend = find(trailer, end, "startxref");
    if (status == DP_OK)
        status = copy_key(out, trailer, tend, "/Root");
    if (status == DP_OK)
        status = copy_key(out, trailer, tend, "/Info");
    if (status == DP_OK)
        status = copy_key(out, trailer, tend, "/ID");
    if (status == DP_OK)
        status = dp_buf_adds(out, ">>stream\n");
    if (status == DP_OK)
        status = dp_buf_add(out, xj.out, xj.out_len);
    if (status == DP_OK)
        status = dp_buf_printf(out, "%sstartxref\n%llu\n%%%%EOF\n",
                               stream_end(xj.out, xj.out_len, flags),
                               (unsigned long long)where[self]);
    free(xj.out);
    free(rows);
    if (where[self] > UINT32_MAX)
        status = DP_ELIMIT; /* offsets are written in 4 bytes */

done:
    free(where);
    if (status != DP_OK && out->data) {
        out->len = start_len;
        out->data[start_len] = '\0';
    }
    for (size_t s = 0; stms && s < nstm; s++) {
        dp_buf_dispose(&stms[s].head);
        dp_buf_dispose(&stms[s].data);
    }
    for (size_t s = 0; jobs && s < nstm; s++)
        free(jobs[s].out);
    free(stms);
    free(jobs);
    free(objs);
    free(order);
    return status;
}
