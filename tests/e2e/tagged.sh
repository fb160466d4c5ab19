#!/usr/bin/env bash
# End to end: the default PDF is tagged (PDF/UA-1). The structure tree is
# read back with qpdf's JSON and poppler and checked against the source:
# the roles digest XML gives (sections, articles, headings, lists, quote,
# table with header scope and column span, figures with /Alt, captions,
# links, ruby, the contents); articles in reading order; every marked
# content sequence of every page reached from the ParentTree and every
# MCID of the tree found in the pages; nothing drawn outside marked
# content; running headers and footers artifacts; every link annotation
# in a Link element (OBJR) with /Contents and /StructParent; /Lang on
# text in another language; a paragraph continued on the next page is
# one element. Under ua-1 a figure with neither alt nor caption is an
# error naming its line; a-2u builds it.
set -euo pipefail
. "$(dirname "$0")/common.bash"

# the showcase (every element of the format), and a long paragraph that
# crosses a page
src=$root/samples/showcase.xml
"$bin" build "$src" -o "$t/s.pdf" --root "$root/samples"
long=$(for i in $(seq 120); do printf '長い段落の文章がページをまたいで続きます。'; done)
cat >"$t/long.xml" <<EOF
<?xml version="1.0" encoding="UTF-8"?>
<digest version="1.1">
<meta><title>続きの試験</title><published>2026-02-02</published></meta>
<section name="試験庁">
<article><title>一つ目の記事</title><p><a href="https://example.org/">案内</a>の<ruby>漢字<rt>かんじ</rt></ruby>です。</p><p>$long</p></article>
<article><title>二つ目の記事</title><p>$long$long$long</p></article>
</section>
</digest>
EOF
"$bin" build "$t/long.xml" -o "$t/l.pdf"

for f in s l; do
  qpdf --json --json-stream-data=inline --decode-level=generalized "$t/$f.pdf" "$t/$f.json"
  pdfinfo -struct-text "$t/$f.pdf" >"$t/$f.struct" || fail "pdfinfo -struct-text $f"
done

python3 - "$t/s.json" "$t/l.json" "$src" "$t/s.struct" <<'PY' || fail "structure check"
import base64, json, re, sys
import xml.etree.ElementTree as ET

def load(path):
    q = json.load(open(path))["qpdf"][1]
    def obj(ref):
        o = q["obj:" + ref]
        return o["value"] if "value" in o else o["stream"]["dict"]
    return q, obj

def check(path):
    q, obj = load(path)
    def deref(v):
        return obj(v) if isinstance(v, str) and v.endswith(" R") else v
    cat = obj(q["trailer"]["value"]["/Root"])
    assert cat["/MarkInfo"]["/Marked"] is True, "no /MarkInfo /Marked true"
    assert cat["/Lang"] == "u:ja", cat.get("/Lang")
    root = obj(cat["/StructTreeRoot"])
    pages = obj(cat["/Pages"])["/Kids"]
    page_no = {p: i for i, p in enumerate(pages)}
    # walk the tree: roles in order, and where each MCID and OBJR is
    roles, mcid_owner, objr_owner, elems = [], {}, {}, {}
    def walk(ref, depth):
        e = obj(ref)
        assert e["/S"].startswith("/"), e
        role = e["/S"][1:]
        roles.append((depth, role, ref))
        elems[ref] = e
        kids = e.get("/K", [])
        if not isinstance(kids, list):
            kids = [kids]
        for k in kids:
            if isinstance(k, int):
                key = (page_no[e["/Pg"]], k)
                assert key not in mcid_owner, ("MCID twice in the tree", key)
                mcid_owner[key] = ref
            elif isinstance(k, str):
                walk(k, depth + 1)
            elif k.get("/Type") == "/MCR":
                key = (page_no[k["/Pg"]], k["/MCID"])
                assert key not in mcid_owner, ("MCID twice in the tree", key)
                mcid_owner[key] = ref
            elif k.get("/Type") == "/OBJR":
                objr_owner[k["/Obj"]] = ref
            else:
                raise AssertionError(("unknown kid", k))
    top = root["/K"]
    walk(top if isinstance(top, str) else top[0], 0)
    assert roles[0][1] == "Document", roles[0]
    # the parent tree, flattened (a /Nums or leaves under /Kids)
    nums = {}
    def flat(node):
        node = deref(node)
        if "/Nums" in node:
            n = node["/Nums"]
            for i in range(0, len(n), 2):
                nums[n[i]] = n[i + 1]
        for kid in node.get("/Kids", []):
            flat(kid)
    flat(root["/ParentTree"])
    assert root["/ParentTreeNextKey"] == max(nums) + 1, "ParentTreeNextKey"
    # every page: marked content only; each MCID found both ways
    seen = set()
    for i, pref in enumerate(pages):
        pg = obj(pref)
        ct = base64.b64decode(q["obj:" + pg["/Contents"]]["stream"]["data"]).decode("latin-1")
        arr = deref(nums[pg["/StructParents"]])
        depth, mcids, artifacts = 0, [], []
        toks = re.findall(r"/(\w+)\s*<<((?:[^<>]|<[0-9A-Fa-f]*>)*)>>\s*BDC|(EMC)|\b(Tj|TJ|Do|re|S|f|l)\b|\((?:[^()\\]|\\.)*\)|<[0-9A-Fa-f]*>", ct)
        for tag, props, emc, op in toks:
            if tag:
                depth += 1
                m = re.search(r"/MCID (\d+)", props)
                if tag == "Artifact":
                    assert not m, "an artifact with an MCID"
                    artifacts.append(props)
                elif tag == "Span" and "/ActualText" in props and depth > 1:
                    pass  # a date's source text, inside its element's sequence
                else:
                    assert m, ("a tag without MCID", tag)
                    mcids.append(int(m.group(1)))
            elif emc:
                depth -= 1
                assert depth >= 0, "EMC without BDC"
            elif op:
                assert depth > 0, ("drawn outside marked content", i, op)
        assert depth == 0, "BDC without EMC"
        assert mcids == list(range(len(mcids))), ("MCIDs not 0..n-1", i)
        assert len(arr) == len(mcids), ("parent tree length", i, len(arr), len(mcids))
        for m in mcids:
            assert (i, m) in mcid_owner, ("MCID not in the tree", i, m)
            assert arr[m] == mcid_owner[(i, m)], ("parent tree points elsewhere", i, m)
            seen.add((i, m))
        # headers and footers (after the first pages) are pagination
        if i > 0:
            assert any("/Pagination" in a for a in artifacts), ("no pagination artifact", i)
        # annotations: links in Link elements, described, in the parent tree
        for aref in pg.get("/Annots", []):
            a = obj(aref)
            assert aref in objr_owner, ("annotation without OBJR", aref)
            assert elems[objr_owner[aref]]["/S"] == "/Link", "OBJR outside a Link"
            assert a.get("/Contents"), ("annotation without /Contents", aref)
            assert nums[a["/StructParent"]] == objr_owner[aref], "StructParent"
        if pg.get("/Annots"):
            assert pg.get("/Tabs") == "/S", ("no /Tabs /S", i)
    # a Link holds its annotation and its text (a ruby's reading drawn on
    # the same line must not take the link's text elsewhere)
    def within(ref, anc):
        while ref:
            if ref == anc:
                return True
            ref = elems[ref].get("/P") if ref in elems else None
        return False
    for ref, e in elems.items():
        if e["/S"] == "/Link":
            assert ref in objr_owner.values(), ("a Link without its annotation", ref)
            assert any(within(o, ref) for o in mcid_owner.values()), ("a Link without text", ref)
    assert seen == set(mcid_owner), ("MCIDs of the tree not in any page",
                                     set(mcid_owner) - seen)
    return roles, elems, mcid_owner

# the showcase: the roles the format gives
roles, elems, owner = check(sys.argv[1])
names = [r for _, r, _ in roles]
for need in ["Sect", "Art", "H1", "H2", "H3", "P", "L", "LI", "Lbl", "LBody", "BlockQuote",
             "Table", "THead", "TBody", "TR", "TH", "TD", "Figure", "Caption", "TOC", "TOCI",
             "Reference", "Link", "Span", "Ruby", "RB", "RT"]:
    assert need in names, ("no " + need, sorted(set(names)))
doc = ET.parse(sys.argv[3]).getroot()
figs = [e for e in elems.values() if e["/S"] == "/Figure"]
assert len(figs) == len(doc.findall(".//figure")), "a figure lost"
for f in figs:
    assert f.get("/Alt", "u:") != "u:", ("figure without /Alt", f)
alts = [f.get("alt") for f in doc.findall(".//figure") if f.get("alt")]
assert any(f["/Alt"] == "u:" + alts[0] for f in figs), "the alt text is not the /Alt"
ths = [e for e in elems.values() if e["/S"] == "/TH"]
assert ths and all(e["/A"]["/Scope"] == "/Column" for e in ths), "TH without /Scope"
assert any(e.get("/A", {}).get("/ColSpan") == 2 for e in elems.values() if e["/S"] == "/TD"), \
    "no ColSpan 2"
assert any(e.get("/Lang") == "u:en" for e in elems.values()), "no /Lang en"
assert any(e.get("/ActualText") == "u:新着 " for e in elems.values()), "NEW has no ActualText"
# reading order: the articles' titles in the order of the source
h2 = []
lines = open(sys.argv[4], encoding="utf-8").read().split("\n")
for i, ln in enumerate(lines):
    if ln.strip().startswith("H2") and lines[i - 1].strip().startswith("Art"):
        text = ""
        for nxt in lines[i + 1:]:
            if nxt.strip().startswith('"'):
                text += nxt.strip().strip('"')
            elif not nxt.strip().startswith(("Span", "/", "Link")):
                break
        h2.append(text)
titles = ["".join(a.find("title").itertext()) for a in doc.iter("article")]
assert len(h2) == len(titles), (h2, titles)
for got, want in zip(h2, titles):
    assert got.endswith(want), ("reading order", got, want)

# the long paragraph: one P whose MCIDs are on two pages
roles, elems, owner = check(sys.argv[2])
by_elem = {}
for (page, m), ref in owner.items():
    by_elem.setdefault(ref, set()).add(page)
assert any(len(p) > 1 and elems[r]["/S"] == "/P" for r, p in by_elem.items()), \
    "no paragraph continued on the next page as one element"
PY

# the contents, bullets and header rules are not read: no text outside
# the tree on the page of contents
grep -q '^ *TOCI' "$t/s.struct" || fail "no TOCI"

# a figure with neither alt nor caption: an error naming its line under
# ua-1 (the default), a PDF under a-2u
cp "$root/tests/hostile/images/plain.png" "$t/p.png"
cat >"$t/fig.xml" <<'EOF'
<?xml version="1.0" encoding="UTF-8"?>
<digest version="1.1">
<meta><title>図の試験</title><published>2026-02-02</published></meta>
<section name="試験庁">
<article><title>記事</title>
<figure src="p.png"/>
</article>
</section>
</digest>
EOF
set +e
msg=$("$bin" build "$t/fig.xml" -o "$t/fig.pdf" 2>&1)
rc=$?
set -e
[ $rc -eq 1 ] || fail "figure without alt: exit $rc"
grep -q "^$t/fig.xml:6: error: figure p.png has no text.*add alt=.*--pdf-standard a-2u" <<<"$msg" ||
  fail "figure without alt: $msg"
[ ! -e "$t/fig.pdf" ] || fail "figure without alt: a PDF was written"
"$bin" build "$t/fig.xml" -o "$t/fig.pdf" --pdf-standard a-2u || fail "a-2u refused the figure"
sed -i 's|<figure src="p.png"/>|<figure src="p.png"><caption>見本の図</caption></figure>|' "$t/fig.xml"
"$bin" build "$t/fig.xml" -o "$t/fig.pdf" || fail "a captioned figure was refused"
qpdf --qdf --object-streams=disable "$t/fig.pdf" "$t/fig.qdf"
grep -aqi "/Alt <FEFF898B672C306E56F3>" "$t/fig.qdf" ||
  fail "the caption is not the figure's /Alt"
# the badge reads as the style's word for it (label.badge.spoken)
"$bin" build "$src" -o "$t/en.pdf" --root "$root/samples" --style "$root/tests/golden/in/english.style"
qpdf --json --json-stream-data=none "$t/en.pdf" "$t/en.json"
grep -qF '"/ActualText": "u:New article "' "$t/en.json" || fail "the badge's spoken word is not the style's"
echo "tagged: ok"
