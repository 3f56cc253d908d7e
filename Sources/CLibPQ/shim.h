#ifndef BACKOFFICE_CLIBPQ_SHIM_H
#define BACKOFFICE_CLIBPQ_SHIM_H
// The libpq C API, for the Postgres target only (design §2).
#include <postgresql/libpq-fe.h>
#endif
