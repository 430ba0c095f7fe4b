// The ingest benchmark's sender as a process of its own (bench/ingest.js compiles it with
// `cc -O2`), so the collector is measured with the CPU production gives it: routers send, the
// collector's host does not pay for it. A Node dgram send costs ~14 us; sendmmsg far less.
//
//   sender udp PORT RATE SECONDS FILE   datagrams (FILE's lines) paced at RATE/s for SECONDS
//   sender tcp PORT FILE...             one connection per FILE, its bytes written as they are
//
// Both connect, print "ready", wait for a line on stdin, send, then print one JSON line:
// {"sent":N,"failed":N,"sendSeconds":S,"cpuSeconds":S}.
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <time.h>
#include <unistd.h>

static double now_seconds(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static double cpu_seconds(void) {
  struct rusage ru;
  getrusage(RUSAGE_SELF, &ru);
  return (double)ru.ru_utime.tv_sec + (double)ru.ru_utime.tv_usec / 1e6 +
         (double)ru.ru_stime.tv_sec + (double)ru.ru_stime.tv_usec / 1e6;
}

static void die(const char *what) {
  perror(what);
  exit(1);
}

static char *read_file(const char *path, size_t *length) {
  int fd = open(path, O_RDONLY);
  if (fd < 0) die(path);
  struct stat st;
  if (fstat(fd, &st) < 0) die("fstat");
  char *data = malloc((size_t)st.st_size + 1);
  if (!data) die("malloc");
  size_t at = 0;
  while (at < (size_t)st.st_size) {
    ssize_t n = read(fd, data + at, (size_t)st.st_size - at);
    if (n <= 0) die("read");
    at += (size_t)n;
  }
  close(fd);
  *length = at;
  return data;
}

static int connected(int type, int port) {
  int fd = socket(AF_INET, type, 0);
  if (fd < 0) die("socket");
  struct sockaddr_in to = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port)};
  to.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (connect(fd, (struct sockaddr *)&to, sizeof to) < 0) die("connect");
  return fd;
}

static void ready_then_wait_for_go(void) {
  printf("ready\n");
  fflush(stdout);
  char line[64];
  if (!fgets(line, sizeof line, stdin)) exit(0);
}

#define BATCH 64

static int udp(int port, double rate, double seconds, const char *path) {
  size_t length;
  char *data = read_file(path, &length);
  size_t count = 0;
  for (size_t i = 0; i < length; i++) count += data[i] == '\n';
  struct iovec *lines = calloc(count ? count : 1, sizeof *lines);
  size_t n = 0, start = 0;
  for (size_t i = 0; i < length; i++) {
    if (data[i] != '\n') continue;
    lines[n].iov_base = data + start;
    lines[n].iov_len = i - start;
    n++;
    start = i + 1;
  }
  if (n == 0) {
    fprintf(stderr, "no datagrams in %s\n", path);
    return 1;
  }
  int fd = connected(SOCK_DGRAM, port);
  ready_then_wait_for_go();
  long total = (long)(rate * seconds + 0.5);
  long next = 0, sent = 0, failed = 0;
  struct mmsghdr msgs[BATCH];
  double cpu0 = cpu_seconds();
  double t0 = now_seconds();
  while (next < total) {
    long due = (long)((now_seconds() - t0) * rate);
    if (due > total) due = total;
    while (next < due) {
      int k = 0;
      for (; k < BATCH && next + k < due; k++) {
        memset(&msgs[k], 0, sizeof msgs[k]);
        msgs[k].msg_hdr.msg_iov = &lines[(size_t)(next + k) % n];
        msgs[k].msg_hdr.msg_iovlen = 1;
      }
      int r = sendmmsg(fd, msgs, (unsigned)k, 0);
      if (r < 0) {
        // The first message failed (e.g. ECONNREFUSED from an earlier ICMP): count, go on.
        if (errno == EINTR) continue;
        failed++;
        next++;
        continue;
      }
      sent += r;
      next += r;
    }
    struct timespec pause = {0, 1000000};
    nanosleep(&pause, NULL);
  }
  double sendSeconds = now_seconds() - t0;
  printf("{\"sent\":%ld,\"failed\":%ld,\"sendSeconds\":%.6f,\"cpuSeconds\":%.6f}\n", sent, failed,
         sendSeconds, cpu_seconds() - cpu0);
  fflush(stdout);
  close(fd);
  return 0;
}

static int tcp(int port, int files, char **paths) {
  char **data = calloc((size_t)files, sizeof *data);
  size_t *length = calloc((size_t)files, sizeof *length);
  size_t *at = calloc((size_t)files, sizeof *at);
  struct pollfd *fds = calloc((size_t)files, sizeof *fds);
  for (int i = 0; i < files; i++) {
    data[i] = read_file(paths[i], &length[i]);
    fds[i].fd = connected(SOCK_STREAM, port);
    fcntl(fds[i].fd, F_SETFL, fcntl(fds[i].fd, F_GETFL) | O_NONBLOCK);
    fds[i].events = POLLOUT;
  }
  ready_then_wait_for_go();
  double cpu0 = cpu_seconds();
  double t0 = now_seconds();
  long failed = 0;
  int open = files;
  // Write each connection's bytes as the socket takes them; once written, half-close and wait
  // for the collector to close its side (it has read everything by then).
  while (open > 0) {
    if (poll(fds, (nfds_t)files, -1) < 0) {
      if (errno == EINTR) continue;
      die("poll");
    }
    for (int i = 0; i < files; i++) {
      if (fds[i].fd < 0 || fds[i].revents == 0) continue;
      if (fds[i].events == POLLOUT) {
        size_t left = length[i] - at[i];
        ssize_t w = write(fds[i].fd, data[i] + at[i], left > (256u << 10) ? (256u << 10) : left);
        if (w < 0 && errno != EAGAIN && errno != EINTR) {
          failed++;
          close(fds[i].fd);
          fds[i].fd = -1;
          open--;
          continue;
        }
        if (w > 0) at[i] += (size_t)w;
        if (at[i] == length[i]) {
          shutdown(fds[i].fd, SHUT_WR);
          fds[i].events = POLLIN;
        }
      } else {
        char sink[4096];
        ssize_t r = read(fds[i].fd, sink, sizeof sink);
        if (r <= 0 && !(r < 0 && (errno == EAGAIN || errno == EINTR))) {
          close(fds[i].fd);
          fds[i].fd = -1;
          open--;
        }
      }
    }
  }
  size_t bytes = 0;
  for (int i = 0; i < files; i++) bytes += at[i];
  printf("{\"sent\":%zu,\"failed\":%ld,\"sendSeconds\":%.6f,\"cpuSeconds\":%.6f}\n", bytes, failed,
         now_seconds() - t0, cpu_seconds() - cpu0);
  fflush(stdout);
  return 0;
}

int main(int argc, char **argv) {
  if (argc >= 6 && strcmp(argv[1], "udp") == 0)
    return udp(atoi(argv[2]), atof(argv[3]), atof(argv[4]), argv[5]);
  if (argc >= 4 && strcmp(argv[1], "tcp") == 0) return tcp(atoi(argv[2]), argc - 3, argv + 3);
  fprintf(stderr, "usage: sender udp PORT RATE SECONDS FILE | sender tcp PORT FILE...\n");
  return 2;
}
