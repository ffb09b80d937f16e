/*
 * /init of the hv440 Linux guest's built-in initramfs (our own code, static glibc).
 *
 * Prints a banner, /proc/cpuinfo and /proc/uptime, then asks the kernel to restart the machine:
 * Linux's 44x restart (ppc4xx_reset_system) writes DBCR0[RST] = 0b11 (system reset), which
 * stops hv440 (and QEMU with -no-reboot). The lines starting with "hv440-init:" are what
 * test/linux/linux.test.ts looks for.
 *
 * Built by build.sh with: powerpc-linux-gnu-gcc -static -mcpu=440fp -fno-pie -no-pie -O2
 */

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/reboot.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <unistd.h>

static void put(const char *s) {
  size_t n = strlen(s);
  while (n > 0) {
    ssize_t w = write(1, s, n);
    if (w <= 0) return;
    s += w;
    n -= (size_t)w;
  }
}

static void fail(const char *what) {
  put("hv440-init: FAIL: ");
  put(what);
  put(": ");
  put(strerror(errno));
  put("\n");
}

static void cat(const char *path) {
  char buf[1024];
  int fd = open(path, O_RDONLY);
  if (fd < 0) { fail(path); return; }
  for (;;) {
    ssize_t n = read(fd, buf, sizeof buf - 1);
    if (n <= 0) break;
    buf[n] = 0;
    put(buf);
  }
  close(fd);
}

int main(void) {
  struct utsname u;
  put("hv440-init: hello from /init, our own static program\n");
  if (uname(&u) == 0) {
    put("hv440-init: running on ");
    put(u.sysname); put(" "); put(u.release); put(" "); put(u.version); put(" "); put(u.machine);
    put("\n");
  }
  mkdir("/proc", 0555); /* normally in the cpio already */
  if (mount("proc", "/proc", "proc", 0, NULL) != 0) fail("mount /proc");
  put("hv440-init: --- /proc/cpuinfo ---\n");
  cat("/proc/cpuinfo");
  put("hv440-init: --- /proc/uptime ---\n");
  cat("/proc/uptime");
  put("hv440-init: --- end ---\n");
  put("hv440-init: restarting the machine\n");
  sync();
  reboot(RB_AUTOBOOT); /* LINUX_REBOOT_CMD_RESTART */
  fail("reboot");
  for (;;) pause(); /* returning from init would panic the kernel */
}
