/*
 * Tagged PDF (ISO 32000-1 14.8, as PDF/UA-1 requires): the pages'
 * content marked as it is drawn, each piece either an artifact or a
 * marked-content sequence with an MCID, and after the last page the
 * structure tree of dp_pages.elems: StructTreeRoot, one StructElem per
 * element (children and content in reading order), the ParentTree from
 * every MCID and link annotation back to its element, /StructParents and
 * /Tabs /S on the pages, /MarkInfo in the catalog.
 *
 * Ownership: the tagger borrows the pages (which must outlive it) and
 * owns its records; the PDF objects it makes belong to the document.
 */
#ifndef DP_PDF_TAGS_H
#define DP_PDF_TAGS_H

#include <hpdf.h>

#include "base/status.h"
#include "layout/pages.h"

typedef struct dp_tagger dp_tagger;

/* A tagger for pages; NULL when out of memory. Free with dp_tagger_free(). */
dp_tagger *dp_tagger_new(const dp_pages *pages);
void dp_tagger_free(dp_tagger *t);

/* What follows on page (its index) belongs to tag (an element index, or
 * DP_TAG_*): continues the open sequence when it has the same element,
 * else closes it and opens one (seq: the content's dp_run.seq). */
dp_status dp_tagger_mark(dp_tagger *t, HPDF_Page page, size_t index, int tag, unsigned seq);

/* Closes the open sequence, if any (before ET, before other drawing). */
dp_status dp_tagger_close(dp_tagger *t, HPDF_Page page);

/* The link annotation a (on page index) is the content of element tag
 * (a Link); it gets /StructParent and /Contents (contents, UTF-8: what
 * the link leads to). */
dp_status dp_tagger_annot(dp_tagger *t, HPDF_Doc pdf, HPDF_Annotation a, size_t index,
                          int tag, unsigned seq, const char *contents);

/* Writes the structure tree, after the last page is drawn and the last
 * annotation made; pages: the document's pages in order. */
dp_status dp_tagger_finish(dp_tagger *t, HPDF_Doc pdf, const HPDF_Page *pages);

#endif
