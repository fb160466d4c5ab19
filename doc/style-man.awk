# Writes digestpdf-style(5) from styles/default.style, which documents
# every key in its comments: the page cannot drift from the style.
#   awk -v version=X -f doc/style-man.awk styles/default.style > digestpdf-style.5
function esc(s) {
    gsub(/\\/, "\\e", s)
    gsub(/-/, "\\-", s)
    if (s ~ /^[.']/) s = "\\&" s
    return s
}
BEGIN {
    print ".TH DIGESTPDF\\-STYLE 5 \"\" \"digestpdf " version "\" \"File Formats\""
    print ".SH NAME"
    print "digestpdf\\-style \\- style files of digestpdf"
    print ".SH SYNOPSIS"
    print ".IR NAME .style"
    print ".SH DESCRIPTION"
    print "A style file sets the look of the PDFs that"
    print ".BR digestpdf (1)"
    print "builds: page size and margins, fonts, sizes, colours, running headers and"
    print "footers, list marks, the cover and the contents."
    print "It is plain UTF\\-8 text, one"
    print ".I key"
    print "="
    print ".I value"
    print "per line; a line starting with # is a comment."
    print "Keys that a file does not give keep their built\\-in value (shown below)."
    print "Unknown keys and bad values are errors naming the file and line."
    print "Lengths take a unit (pt, mm, cm, in); colours are #rrggbb."
    print "Relative paths (fonts, the cover logo) are taken from the style file's folder."
    print ".PP"
    print "Styles are picked with"
    print ".B \\-\\-style"
    print ".IR NAME ,"
    print "which looks for"
    print ".IR NAME .style"
    print "in the style folders (see"
    print ".BR digestpdf (1)),"
    print "or with"
    print ".B \\-\\-style"
    print ".I FILE"
    print "for any file."
    print ".SH KEYS"
    print "The keys of the built\\-in default style, with their values and meaning:"
    n = 0
}
NR == 1 { next }                      # the style's own title line
/^#/ {
    line = $0
    sub(/^# ?/, "", line)
    if (line == "") { n = 0; after_key = 0; next }
    comment[n++] = line
    next
}
/^[ \t]*$/ { n = 0; after_key = 0; next }
/=/ {
    print ".TP"
    print ".B " esc($0)
    for (i = 0; i < n; i++) print esc(comment[i])
    if (n == 0 && after_key) print "(as the key above)"
    n = 0
    after_key = 1
}
END {
    print ".SH FIELDS"
    print "Header and footer texts may hold the fields"
    print ".BR {series} ,"
    print ".BR {title} ,"
    print ".BR {section} ,"
    print ".BR {page} ,"
    print ".B {pages}"
    print "and"
    print ".BR {date} ."
    print ".SH FILES"
    print ".TP"
    print ".I PREFIX/share/digestpdf/styles/"
    print "the installed styles"
    print ".TP"
    print ".I $XDG_CONFIG_HOME/digestpdf/styles/"
    print "the user's styles (by default"
    print ".IR ~/.config/digestpdf/styles/ ),"
    print "searched first"
    print ".SH SEE ALSO"
    print ".BR digestpdf (1),"
    print ".BR digest\\-xml (5)"
}
