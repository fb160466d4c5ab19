/*
 * lbgen: writes the UAX #14 class table of digestpdf (a two-stage lookup)
 * from the Unicode Character Database files of Debian's unicode-data
 * package. Runs at build time on the host; the project keeps no copy of
 * the data.
 *
 * usage: lbgen LineBreak.txt EastAsianWidth.txt DerivedGeneralCategory.txt
 *              emoji-data.txt out.c
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lbclass.h"

#define NCP 0x110000u

static const char *const class_names[DP_LB_COUNT] = {
#define NAME_(name) #name,
    DP_LB_CLASS_LIST(NAME_)
#undef NAME_
};

/* Per-code-point scratch; static so the generator holds no heap memory. */
static uint8_t lb[NCP];
static uint8_t wide[NCP];  /* East_Asian_Width F, W or H */
static uint8_t markgc[NCP]; /* General_Category Mn or Mc */
static uint8_t unassigned[NCP];
static uint8_t extpict[NCP];

/* Block deduplication for stage 2. */
static uint16_t stage1[DP_LB_STAGE1_LEN];
static uint8_t stage2[NCP];

typedef void (*field_fn)(unsigned lo, unsigned hi, const char *value, void *ctx);

static void die(const char *what, const char *path)
{
    fprintf(stderr, "lbgen: %s: %s\n", path, what);
    exit(1);
}

/* Reads a UCD property file: "lo[..hi] ; value # comment" lines. */
static void read_ucd(const char *path, field_fn fn, void *ctx)
{
    FILE *f = fopen(path, "r");
    if (!f)
        die("cannot open (install the Debian package unicode-data)", path);
    char line[1024];
    while (fgets(line, sizeof line, f)) {
        char *hash = strchr(line, '#');
        if (hash)
            *hash = '\0';
        char *semi = strchr(line, ';');
        if (!semi)
            continue;
        *semi = '\0';
        char *end;
        unsigned long lo = strtoul(line, &end, 16), hi = lo;
        if (end == line)
            die("malformed line", path);
        if (end[0] == '.' && end[1] == '.')
            hi = strtoul(end + 2, &end, 16);
        if (lo > hi || hi >= NCP)
            die("code point out of range", path);
        char *v = semi + 1;
        while (isspace((unsigned char)*v))
            v++;
        char *ve = v + strlen(v);
        while (ve > v && isspace((unsigned char)ve[-1]))
            *--ve = '\0';
        fn((unsigned)lo, (unsigned)hi, v, ctx);
    }
    if (ferror(f))
        die("read error", path);
    fclose(f);
}

static void set_range(uint8_t *a, unsigned lo, unsigned hi, uint8_t v)
{
    memset(a + lo, v, hi - lo + 1);
}

static void on_lb(unsigned lo, unsigned hi, const char *v, void *ctx)
{
    for (int c = 0; c < DP_LB_COUNT; c++) {
        if (strcmp(v, class_names[c]) == 0) {
            set_range(lb, lo, hi, (uint8_t)c);
            return;
        }
    }
    die("unknown Line_Break value", (const char *)ctx);
}

static void on_ea(unsigned lo, unsigned hi, const char *v, void *ctx)
{
    (void)ctx;
    int w = strcmp(v, "F") == 0 || strcmp(v, "W") == 0 || strcmp(v, "H") == 0;
    set_range(wide, lo, hi, (uint8_t)w);
}

static void on_gc(unsigned lo, unsigned hi, const char *v, void *ctx)
{
    (void)ctx;
    if (strcmp(v, "Mn") == 0 || strcmp(v, "Mc") == 0)
        set_range(markgc, lo, hi, 1);
    else if (strcmp(v, "Cn") == 0)
        set_range(unassigned, lo, hi, 1);
    else
        set_range(unassigned, lo, hi, 0);
}

static void on_emoji(unsigned lo, unsigned hi, const char *v, void *ctx)
{
    (void)ctx;
    if (strcmp(v, "Extended_Pictographic") == 0)
        set_range(extpict, lo, hi, 1);
}

int main(int argc, char **argv)
{
    if (argc != 6) {
        fprintf(stderr, "usage: lbgen LineBreak.txt EastAsianWidth.txt "
                        "DerivedGeneralCategory.txt emoji-data.txt out.c\n");
        return 2;
    }
    /* Defaults for code points LineBreak.txt does not list, as its header
     * states them (XX everywhere, ID and PR in reserved blocks). */
    memset(lb, DP_LB_XX, sizeof lb);
    set_range(lb, 0x3400, 0x4DBF, DP_LB_ID);
    set_range(lb, 0x4E00, 0x9FFF, DP_LB_ID);
    set_range(lb, 0xF900, 0xFAFF, DP_LB_ID);
    set_range(lb, 0x20000, 0x2FFFD, DP_LB_ID);
    set_range(lb, 0x30000, 0x3FFFD, DP_LB_ID);
    set_range(lb, 0x1F000, 0x1FAFF, DP_LB_ID);
    set_range(lb, 0x1FC00, 0x1FFFD, DP_LB_ID);
    set_range(lb, 0x20A0, 0x20CF, DP_LB_PR);
    memset(unassigned, 1, sizeof unassigned);

    read_ucd(argv[1], on_lb, argv[1]);
    read_ucd(argv[2], on_ea, NULL);
    read_ucd(argv[3], on_gc, NULL);
    read_ucd(argv[4], on_emoji, NULL);

    for (unsigned cp = 0; cp < NCP; cp++) {
        uint8_t c = lb[cp];
        if (c == DP_LB_OP && wide[cp])
            c = DP_LB_OPW;
        else if (c == DP_LB_CP && wide[cp])
            c = DP_LB_CPW;
        else if (c == DP_LB_SA && markgc[cp])
            c = DP_LB_SAM;
        else if (extpict[cp] && unassigned[cp])
            c = DP_LB_IDPX;
        lb[cp] = c;
    }

    /* Stage 2 holds each distinct block once. */
    const unsigned bs = 1u << DP_LB_SHIFT;
    unsigned nblocks = 0;
    for (unsigned b = 0; b < DP_LB_STAGE1_LEN; b++) {
        const uint8_t *blk = lb + b * bs;
        unsigned k;
        for (k = 0; k < nblocks; k++)
            if (memcmp(stage2 + k * bs, blk, bs) == 0)
                break;
        if (k == nblocks) {
            memcpy(stage2 + k * bs, blk, bs);
            nblocks++;
        }
        if (k > 0xFFFF)
            die("too many blocks", argv[1]);
        stage1[b] = (uint16_t)k;
    }

    FILE *out = fopen(argv[5], "w");
    if (!out)
        die("cannot write", argv[5]);
    fprintf(out, "/* Generated by lbgen from the unicode-data package; "
                 "do not edit. */\n#include \"text/gen/lbclass.h\"\n\n");
    fprintf(out, "const uint16_t dp_lb_stage1[DP_LB_STAGE1_LEN] = {");
    for (unsigned b = 0; b < DP_LB_STAGE1_LEN; b++)
        fprintf(out, "%s%u,", b % 16 ? "" : "\n", stage1[b]);
    fprintf(out, "\n};\n\nconst uint8_t dp_lb_stage2[%u] = {", nblocks * bs);
    for (unsigned i = 0; i < nblocks * bs; i++)
        fprintf(out, "%s%u,", i % 32 ? "" : "\n", stage2[i]);
    fprintf(out, "\n};\n");
    if (fclose(out) != 0)
        die("write error", argv[5]);
    return 0;
}
