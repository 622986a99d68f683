#ifndef EXPORTGATE_CARCHIVE_SHIM_H
#define EXPORTGATE_CARCHIVE_SHIM_H
#include <archive.h>
#include <archive_entry.h>
/* zlib (libarchive's own dependency): CRC-32 for checking ZIP header fields. */
#include <zlib.h>
#endif
