/*
 * Host compatibility shim for User-Mode Linux, LD_PRELOADed into linux.uml
 * only (never into the guest's test processes).
 *
 * Why: UML 6.1 saves a guest process's FPU state with
 * PTRACE_GETREGSET(NT_X86_XSTATE) into a buffer sized for the features it
 * knows (2696 bytes here) and restores it with PTRACE_SETREGSET of the same
 * size. A host CPU with larger state (AMX tiles) makes the host kernel
 * refuse any SETREGSET whose size is not the full XSAVE size (EFAULT), and
 * UML panics at its first process ("ptrace set fp regs failed, errno = 14").
 *
 * Fix: pass a full-size buffer instead: UML's bytes first, zeros after, and
 * the header's feature bits cleared for every component that lies beyond
 * UML's buffer (those components go back to their init state, which they
 * are in anyway: guest processes cannot ask the host for AMX).
 */

#include <cpuid.h>
#include <dlfcn.h>
#include <elf.h>
#include <errno.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ptrace.h>
#include <sys/types.h>
#include <sys/uio.h>

#define XSAVE_LEAF	     0xd
#define XSAVE_HEADER_OFFSET  512 /* after the legacy FXSAVE area */
#define XSAVE_FIRST_EXTENDED 2	 /* components 0 (x87) and 1 (SSE) live in the legacy area */
#define XSAVE_COMPONENTS     64

typedef long (*ptrace_fn)(enum __ptrace_request, pid_t, void *, void *);

/*
 * Size of the XSAVE area for every feature the CPU supports
 * (CPUID.(EAX=0DH,ECX=0):ECX), read once before linux.uml starts: UML
 * restores FPU state on every return to a guest process, and in a VM each
 * CPUID is a trip through the hypervisor (~3 us, against ~50 us for a whole
 * guest system call).
 */
static size_t xsave_full;

__attribute__((constructor)) static void read_xsave_full_size(void)
{
	unsigned a, b, c, d;

	xsave_full = __get_cpuid_count(XSAVE_LEAF, 0, &a, &b, &c, &d) ? c : 0;
}

/* Does component i lie wholly inside the first len bytes? */
static int component_fits(unsigned i, size_t len)
{
	unsigned size, offset, c, d;

	if (!__get_cpuid_count(XSAVE_LEAF, i, &size, &offset, &c, &d))
		return 0;
	return (size_t)offset + size <= len;
}

static long set_full(ptrace_fn real, pid_t pid, void *addr, const struct iovec *iov, size_t full)
{
	static __thread unsigned char *buf;
	struct iovec big = { .iov_len = full };
	uint64_t features;

	if (!buf && !(buf = malloc(full))) {
		errno = ENOMEM;
		return -1;
	}
	memset(buf, 0, full);
	memcpy(buf, iov->iov_base, iov->iov_len);
	memcpy(&features, buf + XSAVE_HEADER_OFFSET, sizeof(features));
	for (unsigned i = XSAVE_FIRST_EXTENDED; i < XSAVE_COMPONENTS; i++)
		if ((features & (1ULL << i)) && !component_fits(i, iov->iov_len))
			features &= ~(1ULL << i);
	memcpy(buf + XSAVE_HEADER_OFFSET, &features, sizeof(features));
	big.iov_base = buf;
	return real(PTRACE_SETREGSET, pid, addr, &big);
}

long ptrace(enum __ptrace_request req, ...)
{
	static ptrace_fn real;
	va_list ap;
	pid_t pid;
	void *addr, *data;

	va_start(ap, req);
	pid = va_arg(ap, pid_t);
	addr = va_arg(ap, void *);
	data = va_arg(ap, void *);
	va_end(ap);
	if (!real)
		*(void **)&real = dlsym(RTLD_NEXT, "ptrace");
	if (req == PTRACE_SETREGSET && (uintptr_t)addr == NT_X86_XSTATE && data) {
		const struct iovec *iov = data;
		size_t full = xsave_full;

		if (full > iov->iov_len && iov->iov_len > XSAVE_HEADER_OFFSET + sizeof(uint64_t))
			return set_full(real, pid, addr, iov, full);
	}
	return real(req, pid, addr, data);
}
