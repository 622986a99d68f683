#ifndef EXPORTGATE_CARCHIVE_SHIM_H
#define EXPORTGATE_CARCHIVE_SHIM_H
#include <archive.h>
#include <archive_entry.h>
#endif
