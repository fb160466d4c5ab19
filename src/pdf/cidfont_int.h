/*
 * Inside the embedded fonts of cidfont.h, shared by its files:
 * cidfont.c (open, metrics, the glyph set), cidfont_subset.c (the
 * subset plan and the font program, with the CFF reading it needs),
 * cidfont_show.c (drawing into content streams), cidfont_cmap.c
 * (ToUnicode) and cidfont_dicts.c (the PDF font dictionaries and /W).
 */
#ifndef DP_PDF_CIDFONT_INT_H
#define DP_PDF_CIDFONT_INT_H

#include <stddef.h>
#include <stdint.h>

#include <hb-subset.h>
#include <hb.h>

#include "base/buf.h"
#include "cidfont.h"
#include "deflate.h"

/* A ToUnicode destination may be 512 bytes: a cluster longer than 128
 * UTF-16 units (256 bytes) is not mapped; its text goes in ActualText. */
#define DP_CIDFONT_MAX_MAP_UNITS 128

struct dp_cidfont_metrics {
    int bbox[4];
    int ascent, descent, cap_height, stem_v;
    double italic_angle;
    int flags;
};

/* The outlines a font program holds, which decide how it is embedded. */
typedef enum {
    DP_OUTLINE_GLYF,     /* TrueType: CIDFontType2, FontFile2 */
    DP_OUTLINE_CFF_CID,  /* CID-keyed CFF: CIDFontType0, codes = its CIDs */
    DP_OUTLINE_CFF_NAME, /* name-keyed CFF: CIDFontType0, codes = glyph ids */
} dp_outline_kind;

struct dp_cidfont {
    HPDF_Doc pdf;
    HPDF_Font type0; /* owned by the document */
    dp_diags *diags; /* for show/finish messages; outlives the font */
    char *path;
    char psname[64];
    dp_outline_kind kind;
    char registry[64], ordering[64]; /* a CID-keyed CFF's ROS */
    int supplement;

    hb_blob_t *blob;
    hb_face_t *face;
    hb_font_t *font; /* scale = upem: advances in font units */
    unsigned upem, nglyphs;

    int *widths;    /* per glyph, 1/1000 em, rounded; set for used glyphs */
    uint8_t *used;  /* per glyph: declared by dp_cidfont_use() */
    size_t nused;
    uint16_t *cid;  /* per glyph: its code + 1; 0: not in the subset */
    uint16_t *cff_cid; /* CID-keyed CFF: per glyph, its CID (else NULL) */
    unsigned ncids; /* glyphs in the subset */
    unsigned ncodes; /* 1 + the largest code of a glyph in the subset */
    hb_face_t *source;        /* the tables a PDF font program needs */
    hb_subset_plan_t *plan;   /* set by dp_cidfont_plan(), freed once built */
    int planned;              /* dp_cidfont_plan() succeeded: cid[] is final */
    hb_blob_t *program;       /* set by dp_cidfont_build() */
    dp_deflate_job zprogram;  /* program deflated, by dp_cidfont_build() */
    int built;                /* dp_cidfont_build() ran (program may be NULL) */
    int build_nomem;          /* ... but could not deflate it: finish fails */
    size_t *map_off; /* per glyph: offset into maps + 1; 0 = no text */
    uint16_t *map_len;
    dp_buf maps;    /* UTF-8 text of every mapping, back to back */
    struct dp_cidfont_metrics m; /* for the FontDescriptor, in 1/1000 em */
    int finished;
};

/* Reports libharu's pending error (what: the object being built) to the
 * font's diagnostics and clears it; DP_ERR. */
dp_status dp_cidfont_fail(dp_cidfont *f, const char *what);

/* A view of an sfnt table, len 0 when absent; the caller destroys the
 * returned blob, which owns the bytes. */
hb_blob_t *dp_cidfont_table(hb_face_t *face, const char *tag, const uint8_t **data,
                            unsigned *len);

/* Font units to 1/1000 em, rounded. */
int dp_cidfont_to_1000(const dp_cidfont *f, double units);

/* Appends text as UTF-16BE hex; returns the number of UTF-16 units, 0 on
 * invalid UTF-8. *st becomes the first failure of appending. */
size_t dp_cidfont_utf16_hex(dp_buf *b, const char *s, size_t len, dp_status *st);

/* What a CFF table (data[0..len)) says about how glyphs are named. */
typedef struct dp_cff_info {
    int cid_keyed;           /* a ROS operator in the Top DICT */
    unsigned nglyphs;        /* CharStrings count */
    char registry[64], ordering[64];
    int supplement;
} dp_cff_info;

/*
 * Reads the header, Top DICT and charset of the CFF table data[0..len):
 * info, and for a CID-keyed font cids[g] = the CID of glyph g for g <
 * min(cap, nglyphs) (cids may be NULL). -1 when the table is not a CFF
 * this reader understands (CFF2, damaged offsets).
 */
int dp_cff_read(const uint8_t *data, size_t len, dp_cff_info *info, uint16_t *cids,
                size_t cap);

#endif
