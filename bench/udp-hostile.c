/*
 * udp-hostile: the patient gone mad. Sends GOOD numbered kernel-like lines to
 * HOST:PORT, each followed by one hostile datagram from the same address, the
 * kinds taking turns: random bytes (1..1500), invalid UTF-8 with terminal
 * escapes, a 65,507-byte datagram (the largest UDP allows), an extended
 * record with a lying fragment header, and the first fragment of a message
 * whose other fragments never come. All as fast as sendmmsg allows; prints
 * what it sent.
 *
 *   udp-hostile HOST PORT GOOD
 *
 * A good line is "hostile-good <n>: [ seconds.micros] ...\n", so a receiver's
 * file can be counted with grep -c hostile-good.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <netdb.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>

#define BATCH 64
#define GIANT 65507

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

int main(int argc, char **argv)
{
	if (argc != 4) {
		fprintf(stderr, "usage: %s HOST PORT GOOD\n", argv[0]);
		return 2;
	}
	long good = atol(argv[3]);
	struct addrinfo hints = { .ai_socktype = SOCK_DGRAM }, *target;
	int rc = getaddrinfo(argv[1], argv[2], &hints, &target);
	if (rc != 0) {
		fprintf(stderr, "udp-hostile: %s: %s\n", argv[1], gai_strerror(rc));
		return 2;
	}
	int fd = socket(target->ai_family, SOCK_DGRAM, 0);
	int size = 8 << 20;
	setsockopt(fd, SOL_SOCKET, SO_SNDBUF, &size, sizeof(size));
	if (fd < 0 || connect(fd, target->ai_addr, target->ai_addrlen) < 0) {
		perror("udp-hostile: socket");
		return 1;
	}

	static char giant[GIANT];
	memset(giant, 'g', sizeof(giant));
	static char slots[BATCH][1600];
	static struct iovec iov[BATCH];
	static struct mmsghdr msgs[BATCH];
	static const char invalid[] = "\xc3\x28\xff\xfe\x1b[2J\x1b]0;owned\x07\xed\xa0\x80 not a line";
	unsigned seed = 1;
	long sent = 0, hostile = 0, kinds[5] = { 0 };
	long long bytes = 0;
	double start = now();

	for (long n = 0; n < good;) {
		int count = 0;
		while (count < BATCH && n < good) {
			char *slot = slots[count];
			int len = snprintf(slot, sizeof(slots[count]),
					   "hostile-good %ld: [%6ld.%06ld] a kernel line among hostile datagrams\n",
					   n, n / 1000000, n % 1000000);
			iov[count].iov_base = slot;
			iov[count].iov_len = len;
			count++;
			slot = slots[count];
			int kind = n % 5;
			kinds[kind]++;
			switch (kind) {
			case 0:
				len = 1 + rand_r(&seed) % 1500;
				for (int i = 0; i < len; i++)
					slot[i] = (char)rand_r(&seed);
				iov[count].iov_base = slot;
				break;
			case 1:
				len = sizeof(invalid) - 1;
				memcpy(slot, invalid, len);
				iov[count].iov_base = slot;
				break;
			case 2:
				len = GIANT;
				iov[count].iov_base = giant;
				break;
			case 3:
				len = snprintf(slot, 1600, "6,%ld,%ld,-,ncfrag=900/100;lying fragment header\n", n, n);
				iov[count].iov_base = slot;
				break;
			default:
				len = snprintf(slot, 1600, "6,%ld,%ld,-,ncfrag=0/1500;%0900d\n", 1000000 + n, n, 0);
				iov[count].iov_base = slot;
				break;
			}
			iov[count].iov_len = len;
			count++;
			n++;
		}
		for (int i = 0; i < count; i++) {
			memset(&msgs[i].msg_hdr, 0, sizeof(msgs[i].msg_hdr));
			msgs[i].msg_hdr.msg_iov = &iov[i];
			msgs[i].msg_hdr.msg_iovlen = 1;
			bytes += iov[i].iov_len;
		}
		int done = 0;
		while (done < count) {
			int r = sendmmsg(fd, msgs + done, count - done, 0);
			if (r < 0) {
				if (errno == EINTR || errno == ENOBUFS || errno == EAGAIN || errno == ECONNREFUSED)
					continue;
				perror("udp-hostile: sendmmsg");
				return 1;
			}
			done += r;
		}
		sent += count;
		hostile += count / 2;
	}
	double seconds = now() - start;
	printf("sent %ld good lines and %ld hostile datagrams (%ld random, %ld invalid UTF-8, %ld of %d bytes, "
	       "%ld lying fragments, %ld never-completed fragments), %.0f MB in %.3f s\n",
	       good, hostile, kinds[0], kinds[1], kinds[2], GIANT, kinds[3], kinds[4], bytes / 1e6, seconds);
	return 0;
}
