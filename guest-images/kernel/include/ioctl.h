/* Terminal ioctls (PowerPC encodings: _IOR/_IOW with a 3-bit direction field at bit 29). */
#ifndef IOCTL_H
#define IOCTL_H
#include "types.h"
#define TCGETS     0x402c7413
#define TCSETS     0x802c7414
#define TCSETSW    0x802c7415
#define TCSETSF    0x802c7416
#define TIOCGWINSZ 0x40087468
#define TIOCSWINSZ 0x80087467
#define TIOCGPGRP  0x40047477
#define TIOCSPGRP  0x80047476
#define FIONREAD   0x4004667f
int tty_ioctl(u32 cmd, u32 arg);
#endif
