/* One-time kernel work before the first case: see warmup.h. */
#include "warmup.h"

#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <sched.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#define AUTH_ENABLE_KNOB "/proc/sys/net/sctp/auth_enable"

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

int pst_warm_kernel_crypto(void)
{
	int status;
	pid_t pid = fork();

	if (pid < 0)
		return -1;
	if (pid == 0)
		_exit(ask_for_transforms() == 0 ? 0 : 1);
	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR)
			return -1;
	return WIFEXITED(status) && WEXITSTATUS(status) == 0 ? 0 : -1;
}
