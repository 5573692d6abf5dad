# The Node package's native parts, built by node-gyp from the same C sources
# as the CMake build (src/node/sources.js lists them):
#   leakscope.node  the Node-API addon (Node-API version 8)
#   leakscope       the command-line tool, the package's `bin`
# This file lives in src/node, not at the repository root, because node-gyp
# builds into build/ next to it and the CMake build owns the root's build/.
{
  'target_defaults': {
    'include_dirs': ['../../include', '..'],
    'defines': ['_POSIX_C_SOURCE=200809L', '_FILE_OFFSET_BITS=64'],
    'cflags': ['-std=c11', '-Wall', '-Wextra', '-Wno-unused-parameter'],
    'cflags!': ['-fno-exceptions'],
    'libraries': ['-lz', '-lwslay', '-lpthread', '-lm'],
    # the prebuilt package carries libwslay and libz beside the addon and
    # the command (scripts/package.js): look there first, then the system
    'ldflags': ["-Wl,-rpath,'$$ORIGIN'"],
    'configurations': {
      'Release': { 'cflags': ['-O2'] },
    },
  },
  'targets': [
    {
      # every layer below the frontends, compiled once for both
      'target_name': 'leakscope_core',
      'type': 'static_library',
      'cflags': ['-fPIC'],
      # + the session's preload, embedded by build.js before node-gyp runs
      'sources': ['<!@(node sources.js core)', 'build/gen/preload_js.c'],
    },
    {
      'target_name': 'leakscope',
      'dependencies': ['leakscope_core'],
      'sources': ['<!@(node sources.js node)'],
    },
    {
      'target_name': 'leakscope_cli',
      'product_name': 'leakscope',
      'type': 'executable',
      'dependencies': ['leakscope_core'],
      'sources': ['<!@(node sources.js cli)'],
    },
  ],
}
