#ifndef EXPORTGATE_CLINUX_SHIM_H
#define EXPORTGATE_CLINUX_SHIM_H
/* Linux calls glibc declares only under _GNU_SOURCE, which Swift's Glibc module is not built
   with. syncfs(2): one call makes everything written under a folder durable, where an fsync
   per restored file would cost a journal commit each. */
int syncfs(int fd);
#endif
