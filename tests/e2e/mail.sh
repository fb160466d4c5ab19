#!/usr/bin/env bash
# End to end: `digestpdf summary` in its three formats and `digestpdf mail`,
# whose message is parsed back with Python's standard MIME parser: every
# header decoded, the parts and their types, the attachment's Japanese
# name, the PDF byte-identical to `digestpdf build`, line lengths, and the
# usage errors.
set -euo pipefail
. "$(dirname "$0")/common.bash"
tmp=$t
sample=$root/samples/briefing-2026-02.xml
export SOURCE_DATE_EPOCH=1767225600

text=$("$bin" summary "$sample")
grep -q "^掲載記事: 20件（うち新着16件）$" <<<"$text" || fail "summary counts: $text"
grep -q "^  サンプル庁　6件（うち新着5件）$" <<<"$text" || fail "summary per body"
grep -q "https://www.example.go.jp/sample-agency/release/2026/0203.html" <<<"$text" || fail "summary link"
md=$("$bin" summary "$sample" --format markdown)
grep -q "^| サンプル庁 | 6 | 5 |$" <<<"$md" || fail "markdown table"
html=$("$bin" summary "$sample" --format html)
grep -q '<html lang="ja">' <<<"$html" || fail "html lang"
grep -q '<a href="https://www.example.go.jp/sample-agency/release/2026/0203.html">' <<<"$html" ||
  fail "html link"
set +e
"$bin" summary "$sample" --format pdf >/dev/null 2>&1; [ $? -eq 2 ] || fail "bad --format: want exit 2"
for bad in "$root"/tests/data/invalid/*.xml; do break; done
want=$("$bin" validate "$bad" 2>&1 >/dev/null)
got=$("$bin" summary "$bad" 2>&1 >/dev/null); rc=$?
set -e
[ $rc -eq 1 ] || fail "summary of an invalid digest: exit $rc"
[ "$got" = "$want" ] || fail "summary's errors differ from validate's: $got / $want"

"$bin" build "$sample" -o "$tmp/ref.pdf"
"$bin" mail "$sample" --from '広報室 <koho@example.go.jp>' \
  --to 'a@example.org,"Doe, Jane" <jane@example.org>' --cc '監査 <audit@example.org>' \
  -o "$tmp/m.eml"
"$bin" mail "$sample" --from '広報室 <koho@example.go.jp>' \
  --to 'a@example.org,"Doe, Jane" <jane@example.org>' --cc '監査 <audit@example.org>' \
  -o "$tmp/m2.eml"
cmp -s "$tmp/m.eml" "$tmp/m2.eml" || fail "the same input gave two different messages"

python3 - "$tmp/m.eml" "$tmp/ref.pdf" "$sample" <<'PY' || fail "the message does not parse back"
import sys, email, email.policy, re
raw = open(sys.argv[1], 'rb').read()
ref = open(sys.argv[2], 'rb').read()
title = re.search(r'<title>(.*?)</title>', open(sys.argv[3], encoding='utf-8').read()).group(1)
for n, line in enumerate(raw.split(b'\r\n')):
    assert len(line) <= 78, f'line {n + 1} has {len(line)} characters'
assert b'\n' not in raw.replace(b'\r\n', b''), 'a line ends without CR'
m = email.message_from_bytes(raw, policy=email.policy.default)
assert str(m['Subject']) == title, m['Subject']
assert m['From'].addresses[0].display_name == '広報室', m['From']
assert m['From'].addresses[0].addr_spec == 'koho@example.go.jp'
to = [(a.display_name, a.addr_spec) for a in m['To'].addresses]
assert to == [('', 'a@example.org'), ('Doe, Jane', 'jane@example.org')], to
assert m['Cc'].addresses[0].display_name == '監査'
assert m['Date'].datetime.timestamp() == 1767225600, m['Date']
assert re.fullmatch(r'<[0-9a-f]{32}@example\.go\.jp>', str(m['Message-ID'])), m['Message-ID']
assert m['MIME-Version'] == '1.0'
assert m.get_content_type() == 'multipart/mixed'
alt, pdf = m.get_payload()
assert alt.get_content_type() == 'multipart/alternative'
plain, html = alt.get_payload()
assert plain.get_content_type() == 'text/plain' and plain.get_content_charset() == 'utf-8'
assert '掲載記事: 20件（うち新着16件）' in plain.get_content()
assert html.get_content_type() == 'text/html'
assert '<h1>' + title + '</h1>' in html.get_content()
assert pdf.get_content_type() == 'application/pdf'
assert pdf.get_content_disposition() == 'attachment'
assert pdf.get_filename() == title + '.pdf', pdf.get_filename()
assert pdf.get_content() == ref, 'the attached PDF differs from digestpdf build'
print('mail: parsed back, all parts checked')
PY

# Usage errors name the argument and write nothing.
set +e
msg=$("$bin" mail "$sample" --from 'not an address' --to a@example.org -o "$tmp/x.eml" 2>&1); rc=$?
[ $rc -eq 2 ] || fail "malformed --from: exit $rc"
grep -q "not an address" <<<"$msg" || fail "malformed --from not named: $msg"
msg=$("$bin" mail "$sample" --from a@example.org --to 'b@example.org,bad@@x' -o "$tmp/x.eml" 2>&1); rc=$?
[ $rc -eq 2 ] || fail "malformed --to: exit $rc"
grep -q "bad@@x" <<<"$msg" || fail "malformed --to not named: $msg"
msg=$("$bin" mail "$sample" --from a@example.org -o "$tmp/x.eml" 2>&1); rc=$?
[ $rc -eq 2 ] || fail "no recipient: exit $rc"
msg=$("$bin" mail "$sample" --from a@example.org --to $'b@example.org\r\nBcc: x@evil.example' \
      -o "$tmp/x.eml" 2>&1); rc=$?
[ $rc -eq 2 ] || fail "header injection through --to: exit $rc"
"$bin" mail "$bad" --from a@example.org --to b@example.org \
  -o "$tmp/x.eml" >/dev/null 2>&1; rc=$?
set -e
[ $rc -eq 1 ] || fail "mail of an invalid digest: exit $rc"
[ ! -e "$tmp/x.eml" ] || fail "a message was left behind"
[ -z "$(ls -A "$tmp" | grep digestpdf-mail || true)" ] || fail "a temporary PDF was left behind"
echo "mail: ok"
