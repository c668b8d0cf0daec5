/*
 * One-time kernel work that no case should pay for: done once before the
 * first case, so a case's time does not depend on where the order puts it.
 */
#ifndef PST_WARMUP_H
#define PST_WARMUP_H

/*
 * The HMAC transforms SCTP allocates (cookie HMAC on listen; AUTH's HMAC-SHA-1
 * and HMAC-SHA-256 when net.sctp.auth_enable is set) are instantiated and
 * self-tested by the kernel's crypto manager the first time any socket asks
 * for them: 0.3-2 s under User-Mode Linux. A throwaway child in a network
 * namespace of its own (so no sysctl of a real netns changes) asks for them
 * once. 0, or -1 if that did not work (the cases then pay it, nothing else
 * changes).
 */
int pst_warm_kernel_crypto(void);

#endif
