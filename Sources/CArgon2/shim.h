#ifndef BACKOFFICE_CARGON2_SHIM_H
#define BACKOFFICE_CARGON2_SHIM_H
// The libargon2 C API, for the Domain target's PasswordHasher only.
#include <argon2.h>
#endif
