#ifndef EXPORTGATE_CISAL_SHIM_H
#define EXPORTGATE_CISAL_SHIM_H
/* ISA-L (Intel's storage acceleration library): CRC-32 with carry-less multiplication, an
   order of magnitude faster than zlib's table-driven one on every entry's data, and igzip's
   inflate, about three times zlib's speed. */
#include <isa-l/crc.h>
#include <isa-l/igzip_lib.h>
#endif
