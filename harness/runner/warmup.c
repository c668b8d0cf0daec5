/* One-time kernel work before the first case: see warmup.h. */
#include "warmup.h"

#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <sched.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#define AUTH_ENABLE_KNOB "/proc/sys/net/sctp/auth_enable"
#define MODPROBE_KNOB	 "/proc/sys/kernel/modprobe"
#define MODPROBE_MAX	 256 /* the kernel's KMOD_PATH_LEN */

/* In the child: a new netns with AUTH on, one listening SCTP socket. */
static int ask_for_transforms(void)
{
	static const char on[] = "1";
	struct sockaddr_in any = { .sin_family = AF_INET };
	int knob, fd, ok;

	if (unshare(CLONE_NEWNET) < 0)
		return -1;
	/* /proc/sys/net is the opening thread's netns: this one, thrown away at exit */
	knob = open(AUTH_ENABLE_KNOB, O_WRONLY | O_CLOEXEC);
	if (knob < 0)
		return -1;
	ok = write(knob, on, strlen(on)) == (ssize_t)strlen(on);
	close(knob);
	if (!ok)
		return -1;
	/* socket(): AUTH's HMACs (sctp_auth_init); listen(): the cookie HMAC */
	fd = socket(AF_INET, SOCK_SEQPACKET, IPPROTO_SCTP);
	if (fd < 0)
		return -1;
	ok = bind(fd, (struct sockaddr *)&any, sizeof(any)) == 0 && listen(fd, 1) == 0;
	close(fd);
	return ok ? 0 : -1;
}

/* Is this the project's own throwaway guest (its guest-init exports PST_TARGET)? */
static bool in_own_guest(void)
{
	const char *t = getenv("PST_TARGET");

	return t && (strcmp(t, "uml") == 0 || strcmp(t, "qemu") == 0);
}

/*
 * Set the module helper's path to value; with saved, read the old one into it
 * first (NUL-terminated). 0 or -1.
 */
static int swap_modprobe(const char *value, char *saved, size_t len)
{
	int fd = open(MODPROBE_KNOB, O_RDWR | O_CLOEXEC);
	int ok = 1;

	if (fd < 0)
		return -1;
	if (saved) {
		ssize_t n = read(fd, saved, len - 1);

		ok = n > 0 && lseek(fd, 0, SEEK_SET) == 0;
		saved[n > 0 ? n : 0] = '\0';
	}
	ok = ok && write(fd, value, strlen(value)) == (ssize_t)strlen(value);
	close(fd);
	return ok ? 0 : -1;
}

int pst_warm_kernel_crypto(void)
{
	char helper[MODPROBE_MAX];
	int status, ok;
	/*
	 * Each transform built from a template first asks for a module of its
	 * name (crypto-hmac(sha1), crypto-hmac(sha1)-all, ...: six requests),
	 * which no kernel has; in a guest each request runs the module helper,
	 * ~0.1 s under UML. The guest loaded SCTP's modules at boot: there, no
	 * helper during the warm-up ("\n" empties the path: the requests fail at
	 * once), then the same helper again. A host's setting is never touched.
	 */
	bool quiet = in_own_guest() && swap_modprobe("\n", helper, sizeof(helper)) == 0;
	pid_t pid = fork();

	if (pid == 0)
		_exit(ask_for_transforms() == 0 ? 0 : 1);
	ok = pid > 0;
	while (ok && waitpid(pid, &status, 0) < 0)
		ok = errno == EINTR;
	if (quiet)
		swap_modprobe(helper, NULL, 0);
	return ok && WIFEXITED(status) && WEXITSTATUS(status) == 0 ? 0 : -1;
}
