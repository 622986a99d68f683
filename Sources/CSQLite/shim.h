#ifndef EXPORTGATE_CSQLITE_SHIM_H
#define EXPORTGATE_CSQLITE_SHIM_H
/* SQLite through its C API (Debian's libsqlite3, built with FTS5): the archive's rows are
   bound straight from the CSV parser's field bytes. */
#include <sqlite3.h>
#endif
