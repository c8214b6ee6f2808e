#include "CMuPDF.h"
int cmupdf_placeholder(void) { return 0; }
