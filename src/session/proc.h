/*
 * What /proc tells about a process, for the session (run and attach):
 * its CPU time, its scheduling, its owner, its program, how it handles
 * SIGUSR1, and the TCP sockets it listens on. Linux only. Every function
 * reads afresh (nothing is cached) and is safe on any thread. And the
 * session's one way to write a whole buffer to an fd.
 */
#ifndef LS_SESSION_PROC_H
#define LS_SESSION_PROC_H

#include <stddef.h>
#include <sys/types.h>

/* CPU seconds the process has used (user + system, all its threads); -1
 * when unknown. */
double ls__proc_cpu(pid_t pid);

/* Seconds its threads ran and waited to run on a CPU (summed over
 * /proc/PID/task/TID/schedstat): 0, or -1 when unknown. */
int ls__proc_sched(pid_t pid, double *run, double *wait);

/* /proc/PID/status: the real and effective uid and the state letter
 * ('R', 'S', 'Z', ...). 0, or -1 when the process is gone. */
int ls__proc_status(pid_t pid, uid_t *ruid, uid_t *euid, char *state);

/* How the process takes signal `signo` (SIGUSR1 for the inspector, SIGUSR2
 * for --heapsnapshot-signal): 1 it catches it, 0 the default action
 * (which ends it), -1 it ignores it, -2 unknown. */
int ls__proc_signal(pid_t pid, int signo);

/* Its program (readlink /proc/PID/exe) into `buf`: 0, or -1. */
int ls__proc_exe(pid_t pid, char *buf, size_t len);

/* 1 when its command line or its NODE_OPTIONS holds `word` (an argument
 * equal to it or starting with it and '='), else 0. */
int ls__proc_has_arg(pid_t pid, const char *word);
/* The value of `word`=VALUE (or `word` VALUE) in its command line or
 * NODE_OPTIONS into `buf`: 0, or -1 when absent. */
int ls__proc_arg_value(pid_t pid, const char *word, char *buf, size_t len);

/* A listening TCP socket. */
typedef struct ls__listener {
  unsigned long inode;
  int v6;
  char addr[64]; /* "127.0.0.1", "::1", "0.0.0.0" */
  int port;
} ls__listener;

/* The TCP sockets in LISTEN state that the process holds (its fds'
 * sockets matched against its /proc/PID/net/tcp and tcp6); at most `max`
 * into `out`. The count, or -1 when its fds cannot be read. */
int ls__proc_listeners(pid_t pid, ls__listener *out, int max);

/* Any socket of the process's network namespace listening on `port`
 * (IPv4 or IPv6) whose inode is not one of the process's own: its inode,
 * 0 when none. */
unsigned long ls__proc_port_taken(pid_t pid, int port);

/* The pid of a process that holds the socket `inode` (the first found in
 * /proc), 0 when none is visible to us. */
pid_t ls__proc_socket_owner(unsigned long inode);

/* All `n` bytes of `buf` to `fd`, again after EINTR and short writes
 * (pipes, sockets): 0, or -1 (errno says why when write failed). */
int ls__write_all(int fd, const void *buf, size_t n);

#endif
