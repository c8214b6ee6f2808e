// libfcgi's multi-threaded API (fcgiapp.h). The stdio-replacing fcgi_stdio.h is left out on purpose:
// it redefines printf and friends, which breaks every other C header in the module.
#include <fcgiapp.h>

// The worker pool waits on epoll and stops through an eventfd; Swift's Glibc module does not
// export these Linux headers, so the adapter gets them here.
#include <string.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
