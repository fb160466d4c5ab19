#include "metadata.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "digestpdf.h"

/* the Info dictionary and catalog are reached directly */
#include "hpdf_private.h" /* libharu internals, version-gated */
#include "hpdf_ext.h"

#include "base/status.h"
#include "base/utf8.h"

/* ---- the standard ------------------------------------------------- */

const char *dp_pdf_standard_name(dp_pdf_standard standard)
{
    int ua = dp_pdf_is_ua((int)standard);
    switch ((int)standard & DP_PDF_A_MASK) {
    case DP_PDF_A2U: return ua ? "ua-1,a-2u" : "a-2u";
    case DP_PDF_A2B: return ua ? "ua-1,a-2b" : "a-2b";
    default: return ua ? "ua-1" : "none";
    }
}

dp_status dp_pdf_standard_parse(dp_diags *d, const char *list, dp_pdf_standard *out)
{
    *out = DP_PDF_DEFAULT;
    if (!list)
        return DP_OK;
    int none = 0, ua = 0, pdfa = 0, entries = 0;
    int chosen = DP_PDF_PLAIN;
    for (const char *p = list;;) {
        size_t n = strcspn(p, ",");
        const char *s = p;
        size_t k = n;
        while (k && (*s == ' ' || *s == '\t')) {
            s++;
            k--;
        }
        while (k && (s[k - 1] == ' ' || s[k - 1] == '\t'))
            k--;
        entries++;
        if (k == 4 && !strncasecmp(s, "none", 4)) {
            none++;
        } else if (k == 4 && !strncasecmp(s, "ua-1", 4)) {
            ua++;
        } else if (k == 4 && (!strncasecmp(s, "a-2u", 4) || !strncasecmp(s, "a-2b", 4))) {
            int st = (s[3] | 0x20) == 'u' ? DP_PDF_A2U : DP_PDF_A2B;
            if (pdfa && st != chosen) {
                dp_error(d, NULL, 0, "--pdf-standard %s: a-2u and a-2b cannot be combined; "
                                     "choose one", list);
                return DP_EINPUT;
            }
            pdfa = 1;
            chosen = st;
        } else {
            dp_error(d, NULL, 0, "--pdf-standard: unknown standard \"%.*s\" "
                                 "(expected ua-1, a-2u, a-2b or none)", (int)k, s);
            return DP_EINPUT;
        }
        if (!p[n])
            break;
        p += n + 1;
    }
    if (none && entries > 1) {
        dp_error(d, NULL, 0, "--pdf-standard %s: none cannot be combined with a standard", list);
        return DP_EINPUT;
    }
    *out = (dp_pdf_standard)(chosen | (ua ? DP_PDF_UA : 0));
    return DP_OK;
}

/* ---- dates -------------------------------------------------------- */

/* 9999-12-31T23:59:59Z: the last second a PDF date can hold. */
#define LAST_PDF_SECOND 253402300799LL

void dp_pdf_date_of(const char *published, const char *sde, dp_pdf_date *o)
{
    memset(o, 0, sizeof *o);
    o->year = 2000;
    o->month = 1;
    o->day = 1;
    o->zone = 'Z';
    if (sde && *sde) {
        char *end;
        long long t = strtoll(sde, &end, 10);
        if (!*end && t >= 0 && t <= LAST_PDF_SECOND) {
            time_t tt = (time_t)t;
            struct tm tm;
            gmtime_r(&tt, &tm);
            o->year = tm.tm_year + 1900;
            o->month = tm.tm_mon + 1;
            o->day = tm.tm_mday;
            o->hour = tm.tm_hour;
            o->minute = tm.tm_min;
            o->second = tm.tm_sec;
            return;
        }
    }
    /* the reader accepted published as an xsd:date a PDF can hold:
     * YYYY-MM-DD, then nothing, Z or a zone ±HH:MM */
    int y, m, d, used = 0;
    // NOLINTNEXTLINE(cert-err34-c): published was checked as an xsd:date by the reader
    if (!published || sscanf(published, "%4d-%2d-%2d%n", &y, &m, &d, &used) != 3 ||
        y < 0 || m < 1 || m > 12 || d < 1 || d > 31)
        return;
    o->year = y;
    o->month = m;
    o->day = d;
    const char *z = published + used;
    int zh, zm;
    if ((z[0] == '+' || z[0] == '-') &&
        // NOLINTNEXTLINE(cert-err34-c): checked by the grammar as above
        sscanf(z + 1, "%2d:%2d", &zh, &zm) == 2 && zh >= 0 && zh <= 23 && zm >= 0 &&
        zm <= 59) {
        o->zone = z[0];
        o->zone_hour = zh;
        o->zone_minute = zm;
    }
}

void dp_pdf_date_xmp(const dp_pdf_date *t, char out[32])
{
    int n = snprintf(out, 32, "%04d-%02d-%02dT%02d:%02d:%02d", t->year % 10000, t->month % 100,
                     t->day % 100, t->hour % 100, t->minute % 100, t->second % 100);
    if (t->zone == 'Z')
        snprintf(out + n, (size_t)(32 - n), "Z");
    else
        snprintf(out + n, (size_t)(32 - n), "%c%02d:%02d", t->zone, t->zone_hour % 100,
                 t->zone_minute % 100);
}

/* ---- Info and XMP ------------------------------------------------- */

/* How much of an Info or XMP value is kept: at most DP_MAX_INFO_BYTES,
 * cut between two characters (libharu refuses strings over 64 KB). Info
 * and XMP keep the same part, so they still agree. */
static size_t kept_len(const char *s)
{
    size_t n = strlen(s);
    if (n <= DP_MAX_INFO_BYTES)
        return n;
    n = DP_MAX_INFO_BYTES;
    while (n > 0 && ((unsigned char)s[n] & 0xC0) == 0x80)
        n--; /* not inside a UTF-8 sequence */
    return n;
}

static HPDF_Dict info_dict(HPDF_Doc pdf)
{
    if (!pdf->info) {
        pdf->info = HPDF_Dict_New(pdf->mmgr);
        if (pdf->info && HPDF_Xref_Add(pdf->xref, pdf->info) != HPDF_OK)
            pdf->info = NULL; /* the xref freed it */
    }
    return pdf->info;
}

static int set_text(HPDF_Doc pdf, HPDF_Dict info, const char *key, const char *s)
{
    if (!s)
        return 0;
    HPDF_Binary b = dp_hpdf_text_string(pdf, s, kept_len(s));
    return !b || HPDF_Dict_Add(info, key, b) != HPDF_OK ? -1 : 0;
}

#define PRODUCER "digestpdf " DP_VERSION_STRING " (libharu)"
#define CREATOR "digestpdf " DP_VERSION_STRING

static dp_status write_info(HPDF_Doc pdf, const dp_pages *P, const dp_pdf_date *t)
{
    HPDF_Dict info = info_dict(pdf);
    if (!info)
        return DP_ERR;
    if (set_text(pdf, info, "Title", P->title) || set_text(pdf, info, "Author", P->author) ||
        set_text(pdf, info, "Subject", P->subject) ||
        set_text(pdf, info, "Keywords", P->keywords) ||
        set_text(pdf, info, "Creator", CREATOR) || set_text(pdf, info, "Producer", PRODUCER))
        return DP_ERR;
    HPDF_Date date = {t->year, t->month, t->day, t->hour, t->minute, t->second,
                      t->zone, t->zone_hour, t->zone_minute};
    if (HPDF_SetInfoDateAttr(pdf, HPDF_INFO_CREATION_DATE, date) != HPDF_OK ||
        HPDF_SetInfoDateAttr(pdf, HPDF_INFO_MOD_DATE, date) != HPDF_OK)
        return DP_ERR;
    return DP_OK;
}

/* One XMP property: open, the value escaped, close. */
static dp_status xmp_item(dp_buf *x, const char *open, const char *value, const char *close)
{
    dp_status status = dp_buf_adds(x, open);
    if (status == DP_OK)
        status = dp_buf_add_xml(x, value, kept_len(value));
    if (status == DP_OK)
        status = dp_buf_adds(x, close);
    return status;
}

/* A language alternative: x-default, and for PDF/A the document's own
 * language as well (PDF/UA readers pick the entry by language). */
static dp_status xmp_alt(dp_buf *x, const char *name, const char *value, const char *lang)
{
    dp_status status = DP_OK;
    DP_TRY(dp_buf_printf(x, "<%s><rdf:Alt>", name));
    DP_TRY(xmp_item(x, "<rdf:li xml:lang=\"x-default\">", value, "</rdf:li>"));
    if (lang) {
        DP_TRY(dp_buf_adds(x, "<rdf:li xml:lang=\""));
        DP_TRY(dp_buf_add_xml(x, lang, strlen(lang)));
        DP_TRY(xmp_item(x, "\">", value, "</rdf:li>"));
    }
    DP_TRY(dp_buf_printf(x, "</rdf:Alt></%s>\n", name));
done:
    return status;
}

static dp_status build_xmp(dp_buf *x, const dp_pages *P, const dp_pdf_date *t)
{
    dp_status status = DP_OK;
    int pdfa = dp_pdf_is_a(P->pdf_standard), ua = dp_pdf_is_ua(P->pdf_standard);
    /* the document's language beside x-default, unless it is unknown */
    const char *lang = (pdfa || ua) && P->lang && *P->lang ? P->lang : NULL;
    char date[32];
    dp_pdf_date_xmp(t, date);
    DP_TRY(dp_buf_adds(x,
        "<?xpacket begin=\"\xEF\xBB\xBF\" id=\"W5M0MpCehiHzreSzNTczkc9d\"?>\n"
        "<x:xmpmeta xmlns:x=\"adobe:ns:meta/\">\n"
        "<rdf:RDF xmlns:rdf=\"http://www.w3.org/1999/02/22-rdf-syntax-ns#\">\n"
        "<rdf:Description rdf:about=\"\" xmlns:dc=\"http://purl.org/dc/elements/1.1/\" "
        "xmlns:xmp=\"http://ns.adobe.com/xap/1.0/\" xmlns:pdf=\"http://ns.adobe.com/pdf/1.3/\""));
    if (pdfa)
        DP_TRY(dp_buf_adds(x, " xmlns:pdfaid=\"http://www.aiim.org/pdfa/ns/id/\""));
    if (ua)
        DP_TRY(dp_buf_adds(x, " xmlns:pdfuaid=\"http://www.aiim.org/pdfua/ns/id/\""));
    DP_TRY(dp_buf_adds(x, ">\n"));
    if (P->title)
        DP_TRY(xmp_alt(x, "dc:title", P->title, lang));
    if (P->author)
        DP_TRY(xmp_item(x, "<dc:creator><rdf:Seq><rdf:li>", P->author,
                        "</rdf:li></rdf:Seq></dc:creator>\n"));
    if (P->subject)
        DP_TRY(xmp_alt(x, "dc:description", P->subject, lang));
    if (P->keywords)
        DP_TRY(xmp_item(x, "<pdf:Keywords>", P->keywords, "</pdf:Keywords>\n"));
    DP_TRY(xmp_item(x, "<xmp:CreateDate>", date, "</xmp:CreateDate>\n"));
    DP_TRY(xmp_item(x, "<xmp:ModifyDate>", date, "</xmp:ModifyDate>\n"));
    DP_TRY(xmp_item(x, "<xmp:CreatorTool>", CREATOR, "</xmp:CreatorTool>\n"));
    DP_TRY(xmp_item(x, "<pdf:Producer>", PRODUCER, "</pdf:Producer>\n"));
    if (pdfa)
        DP_TRY(dp_buf_printf(x, "<pdfaid:part>2</pdfaid:part>\n"
                                "<pdfaid:conformance>%s</pdfaid:conformance>\n",
                             (P->pdf_standard & DP_PDF_A_MASK) == DP_PDF_A2U ? "U" : "B"));
    if (ua)
        DP_TRY(dp_buf_adds(x, "<pdfuaid:part>1</pdfuaid:part>\n"));
    DP_TRY(dp_buf_adds(x, "</rdf:Description>\n"));
    /* PDF/A accepts properties of its own schemas only, unless the
     * packet describes the others (ISO 19005-2, 6.6.2.3): pdfuaid's */
    if (ua && pdfa)
        DP_TRY(dp_buf_adds(x,
            "<rdf:Description rdf:about=\"\" "
            "xmlns:pdfaExtension=\"http://www.aiim.org/pdfa/ns/extension/\" "
            "xmlns:pdfaSchema=\"http://www.aiim.org/pdfa/ns/schema#\" "
            "xmlns:pdfaProperty=\"http://www.aiim.org/pdfa/ns/property#\">\n"
            "<pdfaExtension:schemas><rdf:Bag><rdf:li rdf:parseType=\"Resource\">\n"
            "<pdfaSchema:schema>PDF/UA Universal Accessibility Schema</pdfaSchema:schema>\n"
            "<pdfaSchema:namespaceURI>http://www.aiim.org/pdfua/ns/id/</pdfaSchema:namespaceURI>\n"
            "<pdfaSchema:prefix>pdfuaid</pdfaSchema:prefix>\n"
            "<pdfaSchema:property><rdf:Seq><rdf:li rdf:parseType=\"Resource\">\n"
            "<pdfaProperty:name>part</pdfaProperty:name>\n"
            "<pdfaProperty:valueType>Integer</pdfaProperty:valueType>\n"
            "<pdfaProperty:category>internal</pdfaProperty:category>\n"
            "<pdfaProperty:description>Indicates, which part of ISO 14289 standard is "
            "followed</pdfaProperty:description>\n"
            "</rdf:li></rdf:Seq></pdfaSchema:property>\n"
            "</rdf:li></rdf:Bag></pdfaExtension:schemas>\n"
            "</rdf:Description>\n"));
    DP_TRY(dp_buf_adds(x, "</rdf:RDF>\n</x:xmpmeta>\n<?xpacket end=\"w\"?>"));
done:
    return status;
}

/* ---- PDF/A additions ---------------------------------------------- */

static void put32(uint8_t *p, uint32_t v)
{
    p[0] = (uint8_t)(v >> 24);
    p[1] = (uint8_t)(v >> 16);
    p[2] = (uint8_t)(v >> 8);
    p[3] = (uint8_t)v;
}

static void put16(uint8_t *p, unsigned v)
{
    p[0] = (uint8_t)(v >> 8);
    p[1] = (uint8_t)v;
}

/* A four-character ICC signature (no terminating NUL in the profile). */
static void put_sig(uint8_t *p, const char *sig)
{
    for (int i = 0; i < 4; i++)
        p[i] = (uint8_t)sig[i];
}

/* s15Fixed16Number */
static uint32_t s15(double v)
{
    return (uint32_t)(int32_t)lround(v * 65536.0);
}

static void mul3(const double a[3][3], const double b[3][3], double r[3][3])
{
    for (int i = 0; i < 3; i++)
        for (int j = 0; j < 3; j++)
            r[i][j] = a[i][0] * b[0][j] + a[i][1] * b[1][j] + a[i][2] * b[2][j];
}

static void inv3(const double m[3][3], double r[3][3])
{
    double det = m[0][0] * (m[1][1] * m[2][2] - m[1][2] * m[2][1]) -
                 m[0][1] * (m[1][0] * m[2][2] - m[1][2] * m[2][0]) +
                 m[0][2] * (m[1][0] * m[2][1] - m[1][1] * m[2][0]);
    for (int i = 0; i < 3; i++)
        for (int j = 0; j < 3; j++) {
            int a = (j + 1) % 3, b = (j + 2) % 3, c = (i + 1) % 3, e = (i + 2) % 3;
            r[i][j] = (m[a][c] * m[b][e] - m[a][e] * m[b][c]) / det;
        }
}

/* The sRGB colorants as the ICC wants them: the primaries' XYZ for a
 * D65 white of luminance 1 (IEC 61966-2.1), adapted to the D50 profile
 * connection space with the Bradford transform. cols[k] = primary k. */
static void srgb_colorants(double cols[3][3], double white[3])
{
    static const double xy[4][2] = {{0.64, 0.33}, {0.30, 0.60}, {0.15, 0.06},
                                    {0.3127, 0.3290}};
    double p[3][3], pi[3][3];
    for (int k = 0; k < 3; k++) {
        p[0][k] = xy[k][0] / xy[k][1];
        p[1][k] = 1.0;
        p[2][k] = (1.0 - xy[k][0] - xy[k][1]) / xy[k][1];
    }
    white[0] = xy[3][0] / xy[3][1];
    white[1] = 1.0;
    white[2] = (1.0 - xy[3][0] - xy[3][1]) / xy[3][1];
    inv3(p, pi);
    double s[3], m[3][3];
    for (int i = 0; i < 3; i++)
        s[i] = pi[i][0] * white[0] + pi[i][1] * white[1] + pi[i][2] * white[2];
    for (int i = 0; i < 3; i++)
        for (int k = 0; k < 3; k++)
            m[i][k] = p[i][k] * s[k];
    static const double brad[3][3] = {{0.8951, 0.2664, -0.1614},
                                      {-0.7502, 1.7135, 0.0367},
                                      {0.0389, -0.0685, 1.0296}};
    static const double d50[3] = {0.9642, 1.0, 0.8249};
    double bi[3][3], scale[3][3] = {{0}}, t[3][3], adapt[3][3];
    inv3(brad, bi);
    for (int i = 0; i < 3; i++) {
        double src = brad[i][0] * white[0] + brad[i][1] * white[1] + brad[i][2] * white[2];
        double dst = brad[i][0] * d50[0] + brad[i][1] * d50[1] + brad[i][2] * d50[2];
        scale[i][i] = dst / src;
    }
    mul3(scale, brad, t);
    mul3(bi, t, adapt);
    double c[3][3];
    mul3(adapt, m, c);
    for (int k = 0; k < 3; k++)
        for (int i = 0; i < 3; i++)
            cols[k][i] = c[i][k];
}

typedef struct icc_tag {
    const char *sig;
    size_t off, len;
} icc_tag;

dp_status dp_pdf_srgb_profile(dp_buf *out)
{
    enum { CURVE = 1024, TAGS = 9, MAX = 4096 };
    uint8_t b[MAX];
    memset(b, 0, sizeof b);
    size_t at = 128 + 4 + TAGS * 12; /* header, tag count, tag table */
    icc_tag tags[TAGS];
    int nt = 0;

    /* desc: textDescriptionType (ASCII, no Unicode or Macintosh name) */
    static const char name[] = "sRGB IEC61966-2.1";
    tags[nt] = (icc_tag){"desc", at, 0};
    put_sig(b + at, "desc");
    put32(b + at + 8, sizeof name);
    memcpy(b + at + 12, name, sizeof name);
    at += 12 + sizeof name + 4 + 4 + 2 + 1 + 67;
    tags[nt].len = at - tags[nt].off;
    nt++;
    at = (at + 3) & ~(size_t)3;

    static const char cprt[] = "No copyright, use freely";
    tags[nt] = (icc_tag){"cprt", at, 8 + sizeof cprt};
    put_sig(b + at, "text");
    memcpy(b + at + 8, cprt, sizeof cprt);
    at += tags[nt++].len;
    at = (at + 3) & ~(size_t)3;

    double cols[3][3], white[3];
    srgb_colorants(cols, white);
    const double *xyz[4] = {white, cols[0], cols[1], cols[2]};
    static const char *const xyz_sig[4] = {"wtpt", "rXYZ", "gXYZ", "bXYZ"};
    for (int k = 0; k < 4; k++) {
        tags[nt] = (icc_tag){xyz_sig[k], at, 20};
        put_sig(b + at, "XYZ ");
        for (int i = 0; i < 3; i++)
            put32(b + at + 8 + 4 * (size_t)i, s15(xyz[k][i]));
        at += tags[nt++].len;
    }

    /* one curve, shared by the three channels: the sRGB transfer function */
    size_t curve = at;
    put_sig(b + at, "curv");
    put32(b + at + 8, CURVE);
    for (int i = 0; i < CURVE; i++) {
        double v = i / (double)(CURVE - 1);
        double lin = v <= 0.04045 ? v / 12.92 : pow((v + 0.055) / 1.055, 2.4);
        put16(b + at + 12 + 2 * (size_t)i, (unsigned)lround(lin * 65535.0));
    }
    size_t curve_len = 12 + 2 * CURVE;
    at += curve_len;
    static const char *const trc[3] = {"rTRC", "gTRC", "bTRC"};
    for (int k = 0; k < 3; k++)
        tags[nt++] = (icc_tag){trc[k], curve, curve_len};

    /* the header */
    put32(b, (uint32_t)at);
    put32(b + 8, 0x02100000);  /* version 2.1 */
    put_sig(b + 12, "mntr"); /* a display profile */
    put_sig(b + 16, "RGB ");
    put_sig(b + 20, "XYZ ");
    put16(b + 24, 2026);       /* a fixed creation date: reproducible bytes */
    put16(b + 26, 1);
    put16(b + 28, 1);
    put_sig(b + 36, "acsp");
    put32(b + 68, s15(0.9642)); /* the D50 connection space */
    put32(b + 72, s15(1.0));
    put32(b + 76, s15(0.8249));
    put32(b + 128, TAGS);
    for (int k = 0; k < nt; k++) {
        uint8_t *e = b + 132 + 12 * (size_t)k;
        put_sig(e, tags[k].sig);
        put32(e + 4, (uint32_t)tags[k].off);
        put32(e + 8, (uint32_t)tags[k].len);
    }
    return dp_buf_add(out, b, at);
}

/* /OutputIntents: the sRGB profile that gives the device colours we
 * paint with (DeviceRGB, DeviceGray) their meaning. */
static dp_status output_intent(HPDF_Doc pdf)
{
    dp_status status = DP_OK;
    HPDF_MMgr mm = pdf->mmgr;
    HPDF_Dict profile, intent = NULL;
    HPDF_Array list = NULL;
    dp_buf icc;
    dp_buf_init(&icc);
    DP_TRY(dp_pdf_srgb_profile(&icc));
    profile = dp_hpdf_stream_new(pdf);
    intent = HPDF_Dict_New(mm);
    list = HPDF_Array_New(mm);
    if (!profile || !intent || !list) {
        status = DP_ENOMEM;
        goto done;
    }
    profile->filter = HPDF_STREAM_FILTER_FLATE_DECODE;
    static const char cond[] = "sRGB IEC61966-2.1";
    if (HPDF_Dict_AddNumber(profile, "N", 3) != HPDF_OK ||
        HPDF_Stream_Write(profile->stream, (const HPDF_BYTE *)icc.data, (HPDF_UINT)icc.len) !=
            HPDF_OK ||
        HPDF_Dict_AddName(intent, "Type", "OutputIntent") != HPDF_OK ||
        HPDF_Dict_AddName(intent, "S", "GTS_PDFA1") != HPDF_OK ||
        HPDF_Dict_Add(intent, "OutputConditionIdentifier", HPDF_String_New(mm, cond, NULL)) !=
            HPDF_OK ||
        HPDF_Dict_Add(intent, "Info", HPDF_String_New(mm, cond, NULL)) != HPDF_OK ||
        HPDF_Dict_Add(intent, "RegistryName", HPDF_String_New(mm, "http://www.color.org", NULL)) !=
            HPDF_OK ||
        HPDF_Dict_Add(intent, "DestOutputProfile", profile) != HPDF_OK)
        status = DP_ERR;
    /* libharu owns what it was given to add, added or not */
    if (status == DP_OK) {
        if (HPDF_Array_Add(list, intent) != HPDF_OK)
            status = DP_ERR;
        intent = NULL;
    }
    if (status == DP_OK) {
        if (HPDF_Dict_Add(pdf->catalog, "OutputIntents", list) != HPDF_OK)
            status = DP_ERR;
        list = NULL;
    }
done:
    if (intent)
        HPDF_Dict_Free(intent);
    if (list)
        HPDF_Array_Free(list);
    dp_buf_dispose(&icc);
    return status;
}

/* PDF/A wants every annotation printable (/F 4: Print) so that a printed
 * copy shows what the screen shows. */
static dp_status print_flags(HPDF_Doc pdf, size_t npages)
{
    for (size_t i = 0; i < npages; i++) {
        HPDF_Page page = HPDF_GetPageByIndex(pdf, (HPDF_UINT)i);
        if (!page)
            return DP_ERR;
        HPDF_Array annots = HPDF_Dict_GetItem(page, "Annots", HPDF_OCLASS_ARRAY);
        for (HPDF_UINT k = 0; annots && k < annots->list->count; k++) {
            HPDF_Dict a = HPDF_Array_GetItem(annots, k, HPDF_OCLASS_DICT);
            if (!a || HPDF_Dict_AddNumber(a, "F", 4) != HPDF_OK)
                return DP_ERR;
        }
    }
    return DP_OK;
}

dp_status dp_pdf_metadata(HPDF_Doc pdf, const dp_pages *P)
{
    dp_status status = DP_OK;
    dp_buf x;
    dp_buf_init(&x);
    dp_pdf_date t;
    dp_pdf_date_of(P->published, P->source_date_epoch, &t);
    DP_TRY(write_info(pdf, P, &t));
    DP_TRY(build_xmp(&x, P, &t));
    /* uncompressed, as XMP readers that scan the file expect */
    HPDF_Dict meta = dp_hpdf_stream_new(pdf);
    if (!meta || HPDF_Dict_AddName(meta, "Type", "Metadata") != HPDF_OK ||
        HPDF_Dict_AddName(meta, "Subtype", "XML") != HPDF_OK ||
        HPDF_Stream_Write(meta->stream, (const HPDF_BYTE *)x.data, (HPDF_UINT)x.len) !=
            HPDF_OK ||
        HPDF_Dict_Add(pdf->catalog, "Metadata", meta) != HPDF_OK) {
        status = DP_ERR;
        goto done;
    }
    if (!dp_pdf_is_a(P->pdf_standard) && !dp_pdf_is_ua(P->pdf_standard))
        goto done;
    if (P->lang && *P->lang &&
        HPDF_Dict_Add(pdf->catalog, "Lang", HPDF_String_New(pdf->mmgr, P->lang, NULL)) !=
            HPDF_OK) {
        status = DP_ERR;
        goto done;
    }
    if (!dp_pdf_is_a(P->pdf_standard))
        goto done;
    DP_TRY(output_intent(pdf));
    DP_TRY(print_flags(pdf, P->n));
done:
    dp_buf_dispose(&x);
    /* libharu reports its own failures through the document's error
     * handler; a failure it did not see was one of our allocations */
    if (status == DP_ERR && HPDF_GetError(pdf) == HPDF_OK)
        status = DP_ENOMEM;
    return status;
}

/* ---- the file identifier ------------------------------------------ */

/* The 64 steps of MD5 written out (RFC 1321): the file identifier hashes
 * the whole PDF, and a loop choosing the function and the word at every
 * step took four times as long. */
#define MD5_F(x, y, z) (((x) & (y)) | (~(x) & (z)))
#define MD5_G(x, y, z) (((x) & (z)) | ((y) & ~(z)))
#define MD5_H(x, y, z) ((x) ^ (y) ^ (z))
#define MD5_I(x, y, z) ((y) ^ ((x) | ~(z)))
/* One step: a's new value from the round function's fx, a word and a
 * constant, rotated by r. */
static inline uint32_t md5_step(uint32_t a, uint32_t b, uint32_t fx, uint32_t w, uint32_t k,
                                int r)
{
    a += fx + w + k;
    return ((a << r) | (a >> (32 - r))) + b;
}

static void md5_block(uint32_t h[4], const uint8_t *p)
{
    uint32_t m[16];
    for (size_t i = 0; i < 16; i++)
        m[i] = (uint32_t)p[4 * i] | (uint32_t)p[4 * i + 1] << 8 |
               (uint32_t)p[4 * i + 2] << 16 | (uint32_t)p[4 * i + 3] << 24;
    uint32_t a = h[0], b = h[1], c = h[2], d = h[3];
    a = md5_step(a, b, MD5_F(b, c, d), m[0], 0xd76aa478, 7);
    d = md5_step(d, a, MD5_F(a, b, c), m[1], 0xe8c7b756, 12);
    c = md5_step(c, d, MD5_F(d, a, b), m[2], 0x242070db, 17);
    b = md5_step(b, c, MD5_F(c, d, a), m[3], 0xc1bdceee, 22);
    a = md5_step(a, b, MD5_F(b, c, d), m[4], 0xf57c0faf, 7);
    d = md5_step(d, a, MD5_F(a, b, c), m[5], 0x4787c62a, 12);
    c = md5_step(c, d, MD5_F(d, a, b), m[6], 0xa8304613, 17);
    b = md5_step(b, c, MD5_F(c, d, a), m[7], 0xfd469501, 22);
    a = md5_step(a, b, MD5_F(b, c, d), m[8], 0x698098d8, 7);
    d = md5_step(d, a, MD5_F(a, b, c), m[9], 0x8b44f7af, 12);
    c = md5_step(c, d, MD5_F(d, a, b), m[10], 0xffff5bb1, 17);
    b = md5_step(b, c, MD5_F(c, d, a), m[11], 0x895cd7be, 22);
    a = md5_step(a, b, MD5_F(b, c, d), m[12], 0x6b901122, 7);
    d = md5_step(d, a, MD5_F(a, b, c), m[13], 0xfd987193, 12);
    c = md5_step(c, d, MD5_F(d, a, b), m[14], 0xa679438e, 17);
    b = md5_step(b, c, MD5_F(c, d, a), m[15], 0x49b40821, 22);
    a = md5_step(a, b, MD5_G(b, c, d), m[1], 0xf61e2562, 5);
    d = md5_step(d, a, MD5_G(a, b, c), m[6], 0xc040b340, 9);
    c = md5_step(c, d, MD5_G(d, a, b), m[11], 0x265e5a51, 14);
    b = md5_step(b, c, MD5_G(c, d, a), m[0], 0xe9b6c7aa, 20);
    a = md5_step(a, b, MD5_G(b, c, d), m[5], 0xd62f105d, 5);
    d = md5_step(d, a, MD5_G(a, b, c), m[10], 0x02441453, 9);
    c = md5_step(c, d, MD5_G(d, a, b), m[15], 0xd8a1e681, 14);
    b = md5_step(b, c, MD5_G(c, d, a), m[4], 0xe7d3fbc8, 20);
    a = md5_step(a, b, MD5_G(b, c, d), m[9], 0x21e1cde6, 5);
    d = md5_step(d, a, MD5_G(a, b, c), m[14], 0xc33707d6, 9);
    c = md5_step(c, d, MD5_G(d, a, b), m[3], 0xf4d50d87, 14);
    b = md5_step(b, c, MD5_G(c, d, a), m[8], 0x455a14ed, 20);
    a = md5_step(a, b, MD5_G(b, c, d), m[13], 0xa9e3e905, 5);
    d = md5_step(d, a, MD5_G(a, b, c), m[2], 0xfcefa3f8, 9);
    c = md5_step(c, d, MD5_G(d, a, b), m[7], 0x676f02d9, 14);
    b = md5_step(b, c, MD5_G(c, d, a), m[12], 0x8d2a4c8a, 20);
    a = md5_step(a, b, MD5_H(b, c, d), m[5], 0xfffa3942, 4);
    d = md5_step(d, a, MD5_H(a, b, c), m[8], 0x8771f681, 11);
    c = md5_step(c, d, MD5_H(d, a, b), m[11], 0x6d9d6122, 16);
    b = md5_step(b, c, MD5_H(c, d, a), m[14], 0xfde5380c, 23);
    a = md5_step(a, b, MD5_H(b, c, d), m[1], 0xa4beea44, 4);
    d = md5_step(d, a, MD5_H(a, b, c), m[4], 0x4bdecfa9, 11);
    c = md5_step(c, d, MD5_H(d, a, b), m[7], 0xf6bb4b60, 16);
    b = md5_step(b, c, MD5_H(c, d, a), m[10], 0xbebfbc70, 23);
    a = md5_step(a, b, MD5_H(b, c, d), m[13], 0x289b7ec6, 4);
    d = md5_step(d, a, MD5_H(a, b, c), m[0], 0xeaa127fa, 11);
    c = md5_step(c, d, MD5_H(d, a, b), m[3], 0xd4ef3085, 16);
    b = md5_step(b, c, MD5_H(c, d, a), m[6], 0x04881d05, 23);
    a = md5_step(a, b, MD5_H(b, c, d), m[9], 0xd9d4d039, 4);
    d = md5_step(d, a, MD5_H(a, b, c), m[12], 0xe6db99e5, 11);
    c = md5_step(c, d, MD5_H(d, a, b), m[15], 0x1fa27cf8, 16);
    b = md5_step(b, c, MD5_H(c, d, a), m[2], 0xc4ac5665, 23);
    a = md5_step(a, b, MD5_I(b, c, d), m[0], 0xf4292244, 6);
    d = md5_step(d, a, MD5_I(a, b, c), m[7], 0x432aff97, 10);
    c = md5_step(c, d, MD5_I(d, a, b), m[14], 0xab9423a7, 15);
    b = md5_step(b, c, MD5_I(c, d, a), m[5], 0xfc93a039, 21);
    a = md5_step(a, b, MD5_I(b, c, d), m[12], 0x655b59c3, 6);
    d = md5_step(d, a, MD5_I(a, b, c), m[3], 0x8f0ccc92, 10);
    c = md5_step(c, d, MD5_I(d, a, b), m[10], 0xffeff47d, 15);
    b = md5_step(b, c, MD5_I(c, d, a), m[1], 0x85845dd1, 21);
    a = md5_step(a, b, MD5_I(b, c, d), m[8], 0x6fa87e4f, 6);
    d = md5_step(d, a, MD5_I(a, b, c), m[15], 0xfe2ce6e0, 10);
    c = md5_step(c, d, MD5_I(d, a, b), m[6], 0xa3014314, 15);
    b = md5_step(b, c, MD5_I(c, d, a), m[13], 0x4e0811a1, 21);
    a = md5_step(a, b, MD5_I(b, c, d), m[4], 0xf7537e82, 6);
    d = md5_step(d, a, MD5_I(a, b, c), m[11], 0xbd3af235, 10);
    c = md5_step(c, d, MD5_I(d, a, b), m[2], 0x2ad7d2bb, 15);
    b = md5_step(b, c, MD5_I(c, d, a), m[9], 0xeb86d391, 21);
    h[0] += a;
    h[1] += b;
    h[2] += c;
    h[3] += d;
}

void dp_pdf_md5(const void *data, size_t len, uint8_t out[16])
{
    uint32_t h[4] = {0x67452301, 0xefcdab89, 0x98badcfe, 0x10325476};
    const uint8_t *p = data;
    size_t i = 0;
    for (; i + 64 <= len; i += 64)
        md5_block(h, p + i);
    uint8_t tail[128] = {0};
    size_t rest = len - i;
    memcpy(tail, p + i, rest);
    tail[rest] = 0x80;
    size_t blocks = rest + 9 <= 64 ? 1 : 2;
    uint64_t bits = (uint64_t)len * 8;
    for (int k = 0; k < 8; k++)
        tail[blocks * 64 - 8 + k] = (uint8_t)(bits >> (8 * k));
    for (size_t k = 0; k < blocks; k++)
        md5_block(h, tail + 64 * k);
    for (int k = 0; k < 4; k++)
        for (int j = 0; j < 4; j++)
            out[4 * k + j] = (uint8_t)(h[k] >> (8 * j));
}

dp_status dp_pdf_add_id(dp_buf *raw)
{
    /* the last trailer: libharu writes "trailer" LF "<<"; a packed file
     * has a cross-reference stream, its dictionary the trailer */
    const char *t = NULL, *xref = NULL;
    for (size_t i = raw->len; i >= 7 && !t && !xref; i--) {
        if (memcmp(raw->data + i - 7, "trailer", 7) == 0)
            t = raw->data + i - 7;
        else if (i >= 10 && memcmp(raw->data + i - 10, "/Type/XRef", 10) == 0)
            xref = raw->data + i - 10;
    }
    if (!t && !xref)
        return DP_ERR;
    const char *open = t ? strstr(t, "<<") : xref + 10;
    if (!open)
        return DP_ERR;
    size_t at = (size_t)(open - raw->data) + (t ? 2 : 0);
    uint8_t sum[16];
    dp_pdf_md5(raw->data, raw->len, sum);
    char id[96];
    int n = snprintf(id, sizeof id, t ? "\012/ID [<" : "/ID [<");
    for (int r = 0; r < 2; r++) {
        for (int k = 0; k < 16; k++)
            n += snprintf(id + n, sizeof id - (size_t)n, "%02X", sum[k]);
        n += snprintf(id + n, sizeof id - (size_t)n, r ? ">]" : "><");
    }
    size_t old = raw->len;
    dp_status status = dp_buf_add(raw, id, (size_t)n); /* room at the end */
    if (status != DP_OK)
        return status;
    memmove(raw->data + at + (size_t)n, raw->data + at, old - at);
    memcpy(raw->data + at, id, (size_t)n);
    return DP_OK;
}
