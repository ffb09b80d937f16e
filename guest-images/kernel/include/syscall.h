/* System calls: the Linux/PowerPC 32-bit ABI (syscall.c dispatches; numbers from unistd_32.h). */
#ifndef SYSCALL_H
#define SYSCALL_H
#include "types.h"
struct pt_regs;

/* hv440's own call: mark the start (1) / end (2) of a measured workload (no Linux number near) */
#define HV440_NR_MARK 1000

/* a handler that has set up the user registers itself (execve, rt_sigreturn) */
#define SYSCALL_NO_RESULT 0x7fff0000

void do_syscall(struct pt_regs *regs);

/* process.c */
long sys_fork(struct pt_regs *regs);
long sys_clone(struct pt_regs *regs, u32 flags, u32 newsp);
long sys_execve(struct pt_regs *regs, u32 path, u32 argv, u32 envp);
long sys_exit(int code);
long sys_exit_group(int code);
long sys_wait4(int pid, u32 status, int options, u32 rusage);
long sys_waitpid(int pid, u32 status, int options);
/* exec.c */
long do_execve(const char *path, char *const *argv, int argc, char *const *envp, int envc);
int kernel_execve(const char *path, const char *const *argv, const char *const *envp);
/* signal.c */
long sys_rt_sigaction(int sig, u32 act, u32 oact, u32 size);
long sys_rt_sigprocmask(int how, u32 set, u32 oset, u32 size);
long sys_rt_sigpending(u32 set, u32 size);
long sys_sigaltstack(u32 ss, u32 oss);
long sys_kill(int pid, int sig);
/* sys_fs.c */
long sys_read(int fd, u32 buf, u32 n);
long sys_write(int fd, u32 buf, u32 n);
long sys_readv(int fd, u32 iov, int cnt);
long sys_writev(int fd, u32 iov, int cnt);
long sys_pread64(int fd, u32 buf, u32 n, u64 off);
long sys_pwrite64(int fd, u32 buf, u32 n, u64 off);
long sys_open(u32 path, u32 flags, u32 mode);
long sys_openat(int dfd, u32 path, u32 flags, u32 mode);
long sys_close(int fd);
long sys_lseek(int fd, s32 off, int whence);
long sys_llseek(int fd, u32 hi, u32 lo, u32 result, int whence);
long sys_dup(int fd);
long sys_dup3(int fd, int nfd, u32 flags);
long sys_dup2(int fd, int nfd);
long sys_pipe2(u32 fds, u32 flags);
long sys_fcntl(int fd, int cmd, u32 arg);
long sys_ioctl(int fd, u32 cmd, u32 arg);
long sys_stat64(u32 path, u32 buf);
long sys_lstat64(u32 path, u32 buf);
long sys_fstat64(int fd, u32 buf);
long sys_fstatat64(int dfd, u32 path, u32 buf, int flags);
long sys_statx(int dfd, u32 path, int flags, u32 mask, u32 buf);
long sys_getdents64(int fd, u32 buf, u32 n);
long sys_readlinkat(int dfd, u32 path, u32 buf, u32 n);
long sys_faccessat(int dfd, u32 path, int mode, int flags);
long sys_chdir(u32 path);
long sys_fchdir(int fd);
long sys_getcwd(u32 buf, u32 size);
long sys_mkdirat(int dfd, u32 path, u32 mode);
long sys_unlinkat(int dfd, u32 path, int flags);
long sys_renameat(int odfd, u32 opath, int ndfd, u32 npath);
long sys_symlinkat(u32 target, int dfd, u32 path);
long sys_truncate64(u32 path, u64 len);
long sys_ftruncate64(int fd, u64 len);
long sys_statfs64(u32 path, u32 size, u32 buf);
long sys_fstatfs64(int fd, u32 size, u32 buf);
#endif
