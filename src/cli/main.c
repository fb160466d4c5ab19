#include <stdio.h>

#include "digestpdf.h"

int main(void)
{
    printf("digestpdf %s\n", DP_VERSION_STRING);
    return 0;
}
