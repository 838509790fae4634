/*
 * udp-recvmmsg: the reference receiver for the benchmark, a plain C program
 * that appends every datagram to FILE, taking up to 64 per recvmmsg call
 * with a receive buffer as large as the system allows, flushing after each
 * call. It shows what a native receiver keeps on the same machine.
 *
 *   udp-recvmmsg PORT FILE
 */
#define _GNU_SOURCE
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#define BATCH 64
#define SIZE 65536

int main(int argc, char **argv)
{
	if (argc != 3) {
		fprintf(stderr, "usage: %s PORT FILE\n", argv[0]);
		return 2;
	}
	FILE *out = fopen(argv[2], "a");
	int fd = socket(AF_INET6, SOCK_DGRAM, 0);
	int no = 0, size = 32 << 20;
	setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &no, sizeof(no));
	setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &size, sizeof(size));
	struct sockaddr_in6 address = { .sin6_family = AF_INET6, .sin6_port = htons(atoi(argv[1])) };
	if (!out || fd < 0 || bind(fd, (struct sockaddr *)&address, sizeof(address)) < 0) {
		perror("udp-recvmmsg");
		return 1;
	}
	static char buffers[BATCH][SIZE];
	static struct iovec iov[BATCH];
	static struct mmsghdr msgs[BATCH];
	for (int i = 0; i < BATCH; i++) {
		iov[i].iov_base = buffers[i];
		iov[i].iov_len = SIZE;
		msgs[i].msg_hdr.msg_iov = &iov[i];
		msgs[i].msg_hdr.msg_iovlen = 1;
	}
	while (1) {
		int n = recvmmsg(fd, msgs, BATCH, MSG_WAITFORONE, NULL);
		if (n < 0)
			continue;
		for (int i = 0; i < n; i++)
			fwrite(buffers[i], 1, msgs[i].msg_len, out);
		fflush(out);
	}
}
