// libfcgi's multi-threaded API (fcgiapp.h). The stdio-replacing fcgi_stdio.h is left out on purpose:
// it redefines printf and friends, which breaks every other C header in the module.
#include <fcgiapp.h>
