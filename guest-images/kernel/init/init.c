/*
 * /sbin/init for hv440-kernel (static glibc). It prints the login banner and a root prompt (the
 * "boot" workload ends here), runs the program the kernel command line gave with run=PATH ARGS
 * (the kernel passes it as init's arguments), waits for it and reports how it ended, and then
 * powers the machine off with reboot().
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/reboot.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static void hostname(char *buf, size_t size)
{
	strcpy(buf, "hv440");
	int fd = open("/etc/hostname", O_RDONLY);
	if (fd < 0) return;
	ssize_t n = read(fd, buf, size - 1);
	close(fd);
	if (n <= 0) {
		strcpy(buf, "hv440");
		return;
	}
	buf[n] = 0;
	buf[strcspn(buf, "\n")] = 0;
	sethostname(buf, strlen(buf));
}

/* hv440_mark (syscall 1000 of hv440-kernel): where the measured workload starts and ends */
static void mark(int what)
{
	syscall(1000, what);
}

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

int main(int argc, char **argv)
{
	char host[65];
	setvbuf(stdout, NULL, _IONBF, 0);
	hostname(host, sizeof host);
	printf("\n%s login: root (automatic)\n# ", host);
	if (argc > 1) {
		for (int i = 1; i < argc; i++) printf("%s%s", i > 1 ? " " : "", argv[i]);
		printf("\n");
		mark(1);
		double t0 = now();
		pid_t pid = fork();
		if (pid == 0) {
			execv(argv[1], argv + 1);
			fprintf(stderr, "init: cannot run %s: %s\n", argv[1], strerror(errno));
			_exit(127);
		}
		int status = 0;
		if (pid < 0) {
			printf("init: fork: %s\n", strerror(errno));
		} else {
			while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
				;
			double t1 = now();
			mark(2);
			if (WIFEXITED(status))
				printf("init: %s exited with status %d\n", argv[1], WEXITSTATUS(status));
			else if (WIFSIGNALED(status))
				printf("init: %s killed by signal %d (%s)\n", argv[1], WTERMSIG(status), strsignal(WTERMSIG(status)));
			printf("init: run time %.6f s\n", t1 - t0);
		}
		/* orphans the program left behind */
		while (waitpid(-1, &status, WNOHANG) > 0)
			;
	} else {
		printf("\n");
		mark(2); /* the "boot" workload: from reset to the first prompt */
	}
	sync();
	reboot(RB_POWER_OFF);
	return 0;
}
