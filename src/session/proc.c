/* /proc look-ups for the session, and ls__write_all (proc.h). */
#define _GNU_SOURCE
#include "proc.h"

#include <arpa/inet.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* A whole small /proc file into a malloc'd NUL-ended buffer (NULs inside
 * kept; `*len` its length). NULL when unreadable. */
static char *slurp(const char *path, size_t max, size_t *len) {
  int fd = open(path, O_RDONLY | O_CLOEXEC);
  if (fd < 0) return NULL;
  char *b = malloc(max + 1);
  size_t n = 0;
  ssize_t r;
  while (b && n < max && (r = read(fd, b + n, max - n)) > 0) n += (size_t)r;
  close(fd);
  if (!b) return NULL;
  b[n] = 0;
  if (len) *len = n;
  return b;
}

double ls__proc_cpu(pid_t pid) {
  char path[64], buf[1024];
  snprintf(path, sizeof path, "/proc/%d/stat", (int)pid);
  int fd = open(path, O_RDONLY | O_CLOEXEC);
  if (fd < 0) return -1;
  ssize_t n = read(fd, buf, sizeof buf - 1);
  close(fd);
  if (n <= 0) return -1;
  buf[n] = 0;
  const char *p = strrchr(buf, ')'); /* the name may hold spaces */
  if (!p) return -1;
  unsigned long long ut = 0, st = 0;
  /* after ")": state, then fields 4..13, then utime (14), stime (15) */
  if (sscanf(p + 1, " %*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %llu %llu",
             &ut, &st) != 2)
    return -1;
  long hz = sysconf(_SC_CLK_TCK);
  return hz > 0 ? (double)(ut + st) / (double)hz : -1;
}

int ls__proc_sched(pid_t pid, double *run, double *wait) {
  char dir[64];
  snprintf(dir, sizeof dir, "/proc/%d/task", (int)pid);
  DIR *d = opendir(dir);
  if (!d) return -1;
  unsigned long long r = 0, w = 0;
  int any = 0;
  struct dirent *de;
  while ((de = readdir(d))) {
    if (de->d_name[0] < '0' || de->d_name[0] > '9') continue;
    char path[128], buf[128];
    snprintf(path, sizeof path, "%s/%.20s/schedstat", dir, de->d_name);
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) continue; /* a thread that just ended */
    ssize_t n = read(fd, buf, sizeof buf - 1);
    close(fd);
    unsigned long long tr, tw;
    if (n <= 0) continue;
    buf[n] = 0;
    if (sscanf(buf, "%llu %llu", &tr, &tw) == 2) r += tr, w += tw, any = 1;
  }
  closedir(d);
  if (!any) return -1;
  *run = (double)r / 1e9;
  *wait = (double)w / 1e9;
  return 0;
}

/* The value after "Name:\t" in /proc/PID/status. */
static const char *status_field(const char *st, const char *name) {
  size_t l = strlen(name);
  for (const char *p = st; p && *p; p = strchr(p, '\n'), p = p ? p + 1 : NULL)
    if (!strncmp(p, name, l) && p[l] == ':') return p + l + 1;
  return NULL;
}

int ls__proc_status(pid_t pid, uid_t *ruid, uid_t *euid, char *state) {
  char path[64];
  snprintf(path, sizeof path, "/proc/%d/status", (int)pid);
  char *st = slurp(path, 8192, NULL);
  if (!st) return -1;
  const char *u = status_field(st, "Uid"), *s = status_field(st, "State");
  unsigned long r = 0, e = 0;
  int ok = u && sscanf(u, " %lu %lu", &r, &e) == 2;
  if (ruid) *ruid = (uid_t)r;
  if (euid) *euid = (uid_t)e;
  if (state) {
    *state = '?';
    if (s) {
      while (*s == ' ' || *s == '\t') s++;
      *state = *s;
    }
  }
  free(st);
  return ok ? 0 : -1;
}

int ls__proc_signal(pid_t pid, int signo) {
  if (signo < 1 || signo > 64) return -2;
  char path[64];
  snprintf(path, sizeof path, "/proc/%d/status", (int)pid);
  char *st = slurp(path, 8192, NULL);
  if (!st) return -2;
  const char *cgt = status_field(st, "SigCgt"), *ign = status_field(st, "SigIgn");
  int res = -2;
  if (cgt && ign) {
    const uint64_t bit = 1ull << (signo - 1);
    uint64_t c = strtoull(cgt, NULL, 16), i = strtoull(ign, NULL, 16);
    /* Node takes SIGUSR1 on a watchdog thread of its own, SIGUSR2 through
     * libuv: the main thread's mask does not matter, only whether it is
     * caught */
    res = (c & bit) ? 1 : (i & bit) ? -1 : 0;
  }
  free(st);
  return res;
}

int ls__proc_exe(pid_t pid, char *buf, size_t len) {
  char path[64];
  snprintf(path, sizeof path, "/proc/%d/exe", (int)pid);
  ssize_t n = readlink(path, buf, len - 1);
  if (n <= 0) return -1;
  buf[n] = 0;
  return 0;
}

/* The words to look through: the command line's arguments, then the
 * space-separated words of NODE_OPTIONS, each NUL-ended, into one buffer
 * (malloc'd; `*len` bytes). NULL when the command line is unreadable. */
static char *arg_words(pid_t pid, size_t *len) {
  char path[64];
  size_t al = 0, el = 0;
  snprintf(path, sizeof path, "/proc/%d/cmdline", (int)pid);
  char *args = slurp(path, 1 << 20, &al);
  if (!args) return NULL;
  snprintf(path, sizeof path, "/proc/%d/environ", (int)pid);
  char *env = slurp(path, 1 << 20, &el);
  const char *opts = NULL;
  for (const char *e = env; e && e < env + el; e += strlen(e) + 1)
    if (!strncmp(e, "NODE_OPTIONS=", 13)) opts = e + 13;
  size_t ol = opts ? strlen(opts) : 0;
  char *all = malloc(al + ol + 2);
  if (all) {
    memcpy(all, args, al);
    if (al && all[al - 1]) all[al++] = 0;
    for (size_t i = 0; i < ol; i++) all[al + i] = (opts[i] == ' ' || opts[i] == '\t') ? 0 : opts[i];
    all[al + ol] = 0;
    *len = al + ol + 1;
  }
  free(args);
  free(env);
  return all;
}

/* `word` or `word`=VALUE, or `word` VALUE: 1 when found, its value into
 * buf (may be NULL; "" when it has none). */
static int find_arg(pid_t pid, const char *word, char *buf, size_t blen) {
  size_t len = 0, wl = strlen(word);
  char *w = arg_words(pid, &len);
  int found = 0;
  for (size_t i = 0; w && i < len && !found; i += strlen(w + i) + 1) {
    const char *a = w + i;
    if (strncmp(a, word, wl) || (a[wl] && a[wl] != '=')) continue;
    found = 1;
    const char *v = a[wl] == '=' ? a + wl + 1 : "";
    if (!a[wl] && i + strlen(a) + 1 < len) {
      const char *next = a + strlen(a) + 1;
      if (next[0] && next[0] != '-') v = next;
    }
    if (buf) snprintf(buf, blen, "%s", v);
  }
  free(w);
  return found;
}

int ls__proc_has_arg(pid_t pid, const char *word) { return find_arg(pid, word, NULL, 0); }

int ls__proc_arg_value(pid_t pid, const char *word, char *buf, size_t len) {
  return find_arg(pid, word, buf, len) ? 0 : -1;
}

/* Is `inode` one of the process's sockets? Their inodes are read once
 * into a sorted array by the caller. */
static int cmp_ul(const void *a, const void *b) {
  unsigned long x = *(const unsigned long *)a, y = *(const unsigned long *)b;
  return x < y ? -1 : x > y;
}

/* The socket inodes among the process's fds (sorted, malloc'd), -1 when
 * its fds cannot be read. */
static int socket_inodes(pid_t pid, unsigned long **out) {
  char dir[64];
  snprintf(dir, sizeof dir, "/proc/%d/fd", (int)pid);
  DIR *d = opendir(dir);
  *out = NULL;
  if (!d) return -1;
  size_t n = 0, cap = 0;
  unsigned long *v = NULL;
  struct dirent *de;
  while ((de = readdir(d))) {
    if (de->d_name[0] == '.') continue;
    char path[128], link[64];
    snprintf(path, sizeof path, "%s/%.20s", dir, de->d_name);
    ssize_t l = readlink(path, link, sizeof link - 1);
    if (l <= 0) continue;
    link[l] = 0;
    unsigned long ino;
    if (sscanf(link, "socket:[%lu]", &ino) != 1) continue;
    if (n == cap) {
      unsigned long *nv = realloc(v, (cap = cap ? 2 * cap : 16) * sizeof *v);
      if (!nv) break;
      v = nv;
    }
    v[n++] = ino;
  }
  closedir(d);
  if (n) qsort(v, n, sizeof *v, cmp_ul);
  *out = v;
  return (int)n;
}

/* Calls `fn` for each LISTEN line of /proc/PID/net/tcp and tcp6. */
static void each_listen(pid_t pid, void (*fn)(void *, const ls__listener *), void *ctx) {
  for (int v6 = 0; v6 < 2; v6++) {
    char path[64];
    snprintf(path, sizeof path, "/proc/%d/net/tcp%s", (int)pid, v6 ? "6" : "");
    FILE *f = fopen(path, "re");
    if (!f) continue;
    char line[512];
    if (!fgets(line, sizeof line, f)) { /* the header */
      fclose(f);
      continue;
    }
    while (fgets(line, sizeof line, f)) {
      char local[64];
      unsigned port, st;
      unsigned long ino;
      /* sl local rem st tx:rx tr:when retr uid timeout inode */
      if (sscanf(line, " %*s %63[0-9A-Fa-f]:%x %*s %x %*s %*s %*s %*s %*s %lu", local, &port,
                 &st, &ino) != 4 || st != 0x0A)
        continue;
      ls__listener l = {ino, v6, "", (int)port};
      if (!v6 && strlen(local) == 8) {
        struct in_addr a;
        a.s_addr = (uint32_t)strtoul(local, NULL, 16); /* printed in host order */
        inet_ntop(AF_INET, &a, l.addr, sizeof l.addr);
      } else if (v6 && strlen(local) == 32) {
        struct in6_addr a;
        for (int k = 0; k < 4; k++) {
          char word[9];
          memcpy(word, local + 8 * k, 8);
          word[8] = 0;
          uint32_t w = (uint32_t)strtoul(word, NULL, 16);
          memcpy(a.s6_addr + 4 * k, &w, 4);
        }
        inet_ntop(AF_INET6, &a, l.addr, sizeof l.addr);
      } else {
        continue;
      }
      fn(ctx, &l);
    }
    fclose(f);
  }
}

typedef struct {
  const unsigned long *ino;
  int n_ino;
  ls__listener *out;
  int max, n;
  int port;              /* port_taken: the port looked for */
  unsigned long taken;
} listen_ctx;

static int own(const listen_ctx *c, unsigned long ino) {
  return c->n_ino > 0 && bsearch(&ino, c->ino, (size_t)c->n_ino, sizeof ino, cmp_ul);
}

static void add_own(void *ctx, const ls__listener *l) {
  listen_ctx *c = ctx;
  if (own(c, l->inode) && c->n < c->max) c->out[c->n++] = *l;
}

int ls__proc_listeners(pid_t pid, ls__listener *out, int max) {
  unsigned long *ino = NULL;
  int n = socket_inodes(pid, &ino);
  if (n < 0) return -1;
  listen_ctx c = {ino, n, out, max, 0, 0, 0};
  if (n) each_listen(pid, add_own, &c);
  free(ino);
  return c.n;
}

static void find_other(void *ctx, const ls__listener *l) {
  listen_ctx *c = ctx;
  if (l->port == c->port && !own(c, l->inode) && !c->taken) c->taken = l->inode;
}

unsigned long ls__proc_port_taken(pid_t pid, int port) {
  unsigned long *ino = NULL;
  int n = socket_inodes(pid, &ino);
  listen_ctx c = {ino, n, NULL, 0, 0, port, 0};
  each_listen(pid, find_other, &c);
  free(ino);
  return c.taken;
}

pid_t ls__proc_socket_owner(unsigned long inode) {
  DIR *d = opendir("/proc");
  if (!d) return 0;
  pid_t found = 0;
  struct dirent *de;
  while (!found && (de = readdir(d))) {
    if (de->d_name[0] < '1' || de->d_name[0] > '9') continue;
    unsigned long *ino = NULL;
    int n = socket_inodes((pid_t)atoi(de->d_name), &ino);
    if (n > 0 && bsearch(&inode, ino, (size_t)n, sizeof inode, cmp_ul))
      found = (pid_t)atoi(de->d_name);
    free(ino);
  }
  closedir(d);
  return found;
}

int ls__write_all(int fd, const void *buf, size_t n) {
  const char *p = buf;
  while (n) {
    ssize_t w = write(fd, p, n);
    if (w < 0 && errno == EINTR) continue;
    if (w <= 0) return -1;
    p += w;
    n -= (size_t)w;
  }
  return 0;
}
