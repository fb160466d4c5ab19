/* libFuzzer: the whole compile, document bytes in, PDF out. The public
 * API takes paths, so the input goes to a temporary file and the PDF to a
 * temporary path; both are removed after each run. Input starting with
 * '<' is compiled as XML, anything else as archived text. */
#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz_common.h"

/* Files in dir other than the input: a failed build must leave none
 * (neither the PDF nor its temporary). */
static int strays(void)
{
    DIR *dd = opendir(fuzz_dir());
    if (!dd)
        abort();
    int n = 0;
    struct dirent *e;
    while ((e = readdir(dd)))
        n += strcmp(e->d_name, ".") && strcmp(e->d_name, "..") &&
             strncmp(e->d_name, "in.", 3);
    closedir(dd);
    return n;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char in[96], out[96];
    int xml = size > 0 && data[0] == '<';
    snprintf(in, sizeof in, "%s/in.%s", fuzz_dir(), xml ? "xml" : "txt");
    snprintf(out, sizeof out, "%s/out.pdf", fuzz_dir());
    fuzz_write(in, data, size);
    fuzz_build_checked(in, out, NULL, strays);
    remove(in);
    remove(out);
    return 0;
}
