/*
 * udp-burst: sends COUNT netconsole-like datagrams to HOST:PORT as fast as
 * sendmmsg allows, one kernel-style line per datagram, and prints its rate.
 *
 *   udp-burst HOST PORT COUNT [FIRST_SEQUENCE [WATCH_FILE]]
 *
 * Each datagram is "<seq>: [ seconds.micros] <text>\n", numbered from
 * FIRST_SEQUENCE (default 0), so a receiver's file can be checked line by line.
 *
 * With WATCH_FILE, it then watches the receiver's file every millisecond until
 * it has not grown for a second, and prints when it last grew, counted from
 * the first datagram sent: the time the receiver took to put the burst on disk.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <netdb.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define BATCH 256
#define LINE_MAX_BYTES 160

static long long file_size(const char *path)
{
	struct stat st;
	return stat(path, &st) == 0 ? (long long)st.st_size : -1;
}

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

int main(int argc, char **argv)
{
	if (argc < 4) {
		fprintf(stderr, "usage: %s HOST PORT COUNT [FIRST_SEQUENCE]\n", argv[0]);
		return 2;
	}
	long count = atol(argv[3]);
	long first = argc > 4 ? atol(argv[4]) : 0;

	struct addrinfo hints = { .ai_socktype = SOCK_DGRAM }, *target;
	int rc = getaddrinfo(argv[1], argv[2], &hints, &target);
	if (rc != 0) {
		fprintf(stderr, "udp-burst: %s: %s\n", argv[1], gai_strerror(rc));
		return 2;
	}
	int fd = socket(target->ai_family, SOCK_DGRAM, 0);
	if (fd < 0 || connect(fd, target->ai_addr, target->ai_addrlen) < 0) {
		perror("udp-burst: socket");
		return 1;
	}

	static char lines[BATCH][LINE_MAX_BYTES];
	static struct iovec iov[BATCH];
	static struct mmsghdr msgs[BATCH];

	double start = now();
	long sent = 0;
	while (sent < count) {
		int n = count - sent < BATCH ? (int)(count - sent) : BATCH;
		for (int i = 0; i < n; i++) {
			long seq = first + sent + i;
			int len = snprintf(lines[i], LINE_MAX_BYTES,
					   "%ld: [%6ld.%06ld] udp-burst: kernel-like line from the burst sender %ld\n",
					   seq, seq / 1000000, seq % 1000000, seq);
			iov[i].iov_base = lines[i];
			iov[i].iov_len = len;
			memset(&msgs[i].msg_hdr, 0, sizeof(msgs[i].msg_hdr));
			msgs[i].msg_hdr.msg_iov = &iov[i];
			msgs[i].msg_hdr.msg_iovlen = 1;
		}
		int done = 0;
		while (done < n) {
			int r = sendmmsg(fd, msgs + done, n - done, 0);
			if (r < 0) {
				if (errno == EINTR || errno == ENOBUFS || errno == EAGAIN || errno == ECONNREFUSED)
					continue;
				perror("udp-burst: sendmmsg");
				return 1;
			}
			done += r;
		}
		sent += n;
	}
	double seconds = now() - start;
	printf("sent %ld datagrams in %.3f s: %.0f datagrams/s\n", sent, seconds, sent / seconds);
	fflush(stdout);

	if (argc > 5) {
		const char *watched = argv[5];
		long long size = file_size(watched);
		double last_growth = now();
		while (now() - last_growth < 1.0) {
			struct timespec pause = { 0, 1000000 };
			nanosleep(&pause, NULL);
			long long current = file_size(watched);
			if (current != size) {
				size = current;
				last_growth = now();
			}
		}
		printf("file stopped growing %.3f s after the first datagram\n", last_growth - start);
	}
	return 0;
}
