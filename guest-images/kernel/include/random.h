/* Pseudo-random bytes for AT_RANDOM and getrandom(): a fixed-seed generator, so that every run
 * of the emulated machine is identical (there is no entropy source on the board). */
#ifndef RANDOM_H
#define RANDOM_H
#include "types.h"
void get_random_bytes(void *buf, u32 n);
#endif
