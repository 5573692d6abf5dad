/* attach's own pieces that need no Node: SHA-1 and the WebSocket accept
 * key (RFC 6455's and FIPS 180's published values), which hosts count as
 * loopback, the /proc look-ups on this very process (a socket it listens
 * on is found, with its port; a port it holds is not "taken" for it, but
 * is for another process), and a refused connection being an error with
 * the address in the message, quickly; an IPv6 loopback listener found as
 * "::1" and asked with "Host: [::1]:PORT" (Node's inspector refuses the
 * Host "::1:PORT"). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "leakscope.h"
#include "session/inspector.h"
#include "session/proc.h"

static void hex(const uint8_t *d, size_t n, char *out) {
  for (size_t i = 0; i < n; i++) sprintf(out + 2 * i, "%02x", d[i]);
}

static void sha1_vectors(void **state) {
  (void)state;
  uint8_t d[20];
  char h[41];
  ls__sha1("abc", 3, d);
  hex(d, 20, h);
  assert_string_equal(h, "a9993e364706816aba3e25717850c26c9cd0d89d");
  ls__sha1("", 0, d);
  hex(d, 20, h);
  assert_string_equal(h, "da39a3ee5e6b4b0d3255bfef95601890afd80709");
  /* 56 bytes: the length no longer fits the first padded block */
  const char *two = "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq";
  ls__sha1(two, strlen(two), d);
  hex(d, 20, h);
  assert_string_equal(h, "84983e441c3bd26ebaae4aa1f95129e5e54670f1");
  char big[1000];
  memset(big, 'a', sizeof big);
  ls__sha1(big, sizeof big, d); /* several blocks */
  hex(d, 20, h);
  assert_string_equal(h, "291e9a6c66994949b57ba5e650361e98fc36b1ba");
}

static void accept_key(void **state) {
  (void)state;
  char a[29];
  ls__ws_accept("dGhlIHNhbXBsZSBub25jZQ==", a); /* RFC 6455, section 1.3 */
  assert_string_equal(a, "s3pPLMBiTxaQ9kYGzzhZRbK+xOo=");
}

static void loopback_hosts(void **state) {
  (void)state;
  assert_true(ls__insp_loopback("127.0.0.1"));
  assert_true(ls__insp_loopback("127.1.2.3"));
  assert_true(ls__insp_loopback("localhost"));
  assert_true(ls__insp_loopback("::1"));
  assert_true(ls__insp_loopback("[::1]"));
  assert_false(ls__insp_loopback("0.0.0.0"));
  assert_false(ls__insp_loopback("10.0.0.1"));
  assert_false(ls__insp_loopback("128.0.0.1"));
  assert_false(ls__insp_loopback("::"));
  assert_false(ls__insp_loopback("example.com"));
  assert_false(ls__insp_loopback("localhost.example.com"));
  assert_false(ls__insp_loopback(""));
  assert_false(ls__insp_loopback(NULL));
}

static void own_listener_found(void **state) {
  (void)state;
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  assert_true(fd >= 0);
  struct sockaddr_in sa;
  memset(&sa, 0, sizeof sa);
  sa.sin_family = AF_INET;
  sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  assert_int_equal(bind(fd, (struct sockaddr *)&sa, sizeof sa), 0);
  assert_int_equal(listen(fd, 1), 0);
  socklen_t sl = sizeof sa;
  assert_int_equal(getsockname(fd, (struct sockaddr *)&sa, &sl), 0);
  const int port = ntohs(sa.sin_port);
  ls__listener ls[64];
  int n = ls__proc_listeners(getpid(), ls, 64), hit = -1;
  assert_true(n >= 1);
  for (int i = 0; i < n; i++)
    if (ls[i].port == port) hit = i;
  assert_true(hit >= 0);
  assert_string_equal(ls[hit].addr, "127.0.0.1");
  assert_false(ls[hit].v6);
  assert_true(ls[hit].inode > 0);
  /* ours, so not taken for us; the socket's owner is us */
  assert_int_equal(ls__proc_port_taken(getpid(), port), 0);
  assert_int_equal(ls__proc_socket_owner(ls[hit].inode), getpid());
  /* connecting to a port of ours that nobody listens on is refused fast */
  close(fd);
  ls_error err;
  ls__insp *c = NULL;
  struct timespec t0, t1;
  clock_gettime(CLOCK_MONOTONIC, &t0);
  assert_int_equal(ls__insp_open("127.0.0.1", port, 2.0, &c, &err), LS_ERR_IO);
  clock_gettime(CLOCK_MONOTONIC, &t1);
  assert_null(c);
  char where[64];
  snprintf(where, sizeof where, "127.0.0.1:%d", port);
  assert_non_null(strstr(err.message, where));
  assert_true(t1.tv_sec - t0.tv_sec < 2);
  assert_int_equal(ls__insp_open("10.0.0.1", 9229, 2.0, &c, &err), LS_ERR_INVALID_ARG);
  assert_non_null(strstr(err.message, "not a loopback address"));
}

/* A one-request HTTP server on [::1]: answers /json/version as Node does
 * when the Host header is "[::1]:PORT", 400 otherwise. */
static void ipv6_listener_and_host(void **state) {
  (void)state;
  int fd = socket(AF_INET6, SOCK_STREAM, 0);
  assert_true(fd >= 0);
  struct sockaddr_in6 sa;
  memset(&sa, 0, sizeof sa);
  sa.sin6_family = AF_INET6;
  sa.sin6_addr = in6addr_loopback;
  if (bind(fd, (struct sockaddr *)&sa, sizeof sa) != 0) {
    close(fd);
    skip(); /* no IPv6 loopback on this machine */
  }
  assert_int_equal(listen(fd, 4), 0);
  socklen_t sl = sizeof sa;
  assert_int_equal(getsockname(fd, (struct sockaddr *)&sa, &sl), 0);
  const int port = ntohs(sa.sin6_port);
  ls__listener ls[64];
  int n = ls__proc_listeners(getpid(), ls, 64), hit = -1;
  for (int i = 0; i < n; i++)
    if (ls[i].port == port) hit = i;
  assert_true(hit >= 0);
  assert_true(ls[hit].v6);
  assert_string_equal(ls[hit].addr, "::1");
  pid_t kid = fork();
  assert_true(kid >= 0);
  if (kid == 0) {
    alarm(10); /* never outlives a failed test */
    for (int k = 0; k < 2; k++) { /* "::1" and "[::1]" */
      int c = accept(fd, NULL, NULL);
      char req[2048], want[64], ans[256];
      ssize_t got = 0, r;
      while (got < (ssize_t)sizeof req - 1 && (r = read(c, req + got, sizeof req - 1 - (size_t)got)) > 0) {
        got += r;
        req[got] = 0;
        if (strstr(req, "\r\n\r\n")) break;
      }
      req[got > 0 ? got : 0] = 0;
      snprintf(want, sizeof want, "\r\nHost: [::1]:%d\r\n", port);
      const char *body = "{\"Browser\": \"node.js/v99.1.2\", \"Protocol-Version\": \"1.1\"}";
      if (strstr(req, want))
        snprintf(ans, sizeof ans, "HTTP/1.1 200 OK\r\nContent-Length: %zu\r\n\r\n%s",
                 strlen(body), body);
      else
        snprintf(ans, sizeof ans, "HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n");
      if (write(c, ans, strlen(ans)) < 0) _exit(3);
      close(c);
    }
    _exit(0);
  }
  close(fd);
  char v[32] = "";
  assert_int_equal(ls__insp_probe("::1", port, 5.0, v, sizeof v), 0);
  assert_string_equal(v, "v99.1.2");
  v[0] = 0;
  assert_int_equal(ls__insp_probe("[::1]", port, 5.0, v, sizeof v), 0);
  assert_string_equal(v, "v99.1.2");
  int status = 0;
  assert_int_equal(waitpid(kid, &status, 0), kid);
  assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 0);
}

static void on_usr2(int sig) { (void)sig; }

static void own_process_facts(void **state) {
  (void)state;
  uid_t r, e;
  char st;
  assert_int_equal(ls__proc_status(getpid(), &r, &e, &st), 0);
  assert_int_equal(r, getuid());
  assert_int_equal(e, geteuid());
  assert_true(st == 'R' || st == 'S');
  char exe[4096];
  assert_int_equal(ls__proc_exe(getpid(), exe, sizeof exe), 0);
  assert_non_null(strstr(exe, "test_inspector"));
  assert_int_equal(ls__proc_signal(getpid(), SIGUSR1), 0); /* default: it would end us */
  signal(SIGUSR2, on_usr2);
  assert_int_equal(ls__proc_signal(getpid(), SIGUSR2), 1);
  signal(SIGUSR2, SIG_IGN);
  assert_int_equal(ls__proc_signal(getpid(), SIGUSR2), -1);
  signal(SIGUSR2, SIG_DFL);
  assert_int_equal(ls__proc_signal(getpid(), SIGUSR2), 0);
  assert_int_equal(ls__proc_signal(getpid(), 0), -2);
  assert_false(ls__proc_has_arg(getpid(), "--inspect"));
  assert_true(ls__proc_cpu(getpid()) >= 0);
  assert_int_equal(ls__proc_status(999999999, NULL, NULL, NULL), -1);
}

int main(void) {
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(sha1_vectors),       cmocka_unit_test(accept_key),
    cmocka_unit_test(loopback_hosts),     cmocka_unit_test(own_listener_found),
    cmocka_unit_test(own_process_facts),  cmocka_unit_test(ipv6_listener_and_host),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
