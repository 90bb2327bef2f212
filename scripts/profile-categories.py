#!/usr/bin/env python3
"""Sorts async-profiler collapsed stacks (collapsed output, threads option) of the example app into
categories: kernel send (any stack through the socket write system call), other kernel, GC (collector
threads, barrier and refinement frames), JIT, the JDK's socket write (user side), Jetty, ours (io.ticketing,
including JDK code it calls), JVM runtime. Prints each one's share of all samples and of the SSE writer
threads' samples, then the top innermost frames of each.  Usage: profile-categories.py FILE.collapsed"""
import sys, collections, re
SEND = ('tcp_sendmsg', 'sock_sendmsg', 'sock_write_iter', 'do_writev', '__sys_sendto', 'ksys_write')
def category(thread, frames):
    leaf = frames[-1]
    if any(f.endswith('_[k]') and f[:-4] in SEND for f in frames):
        return 'kernel: send'
    if leaf.endswith('_[k]'):
        return 'kernel: other'
    if thread.startswith(('G1 ', 'GC Thread', 'VM Thread')) or re.search(r'G1|CardTable|Barrier', leaf):
        return 'GC'
    if thread.startswith(('C1 ', 'C2 ')):
        return 'JIT'
    if any(f.startswith('sun/nio/ch/SocketChannelImpl.write') for f in frames):
        return 'JDK socket write, user side'
    for f in reversed(frames):
        if f.startswith('org/eclipse/jetty'):
            return 'container (Jetty)'
        if f.startswith('io/ticketing'):
            return 'ours'
    if '/' in leaf or leaf.startswith('java') :
        return 'JDK/other Java'
    return 'JVM runtime/native'
def load(path):
    rows = []
    for line in open(path):
        stack, n = line.rstrip('\n').rsplit(' ', 1)
        frames = stack.split(';')
        thread = re.sub(r' tid=\d+\]$', '', frames[0].lstrip('['))
        rows.append((thread, frames[1:], int(n)))
    return rows
rows = load(sys.argv[1])
cats = collections.Counter(); wcats = collections.Counter(); leafs = collections.defaultdict(collections.Counter)
threads = collections.Counter()
for thread, frames, n in rows:
    c = category(thread, frames); cats[c] += n; leafs[c][frames[-1]] += n
    tn = re.sub(r'[-#]?\d+$', '', thread); threads[tn] += n
    if thread.startswith('ticketing-sse-writer'):
        wcats[c] += n
tot = sum(cats.values()); wtot = sum(wcats.values())
print(f'samples: {tot}, writer threads {wtot} ({100*wtot/tot:.1f} %)')
print('| category | all threads | writer threads |'); print('|---|---|---|')
for c, n in cats.most_common():
    print(f'| {c} | {100*n/tot:.1f} % | {100*wcats[c]/max(1,wtot):.1f} % |')
print('\nthreads:', ', '.join(f'{t} {100*n/tot:.1f} %' for t, n in threads.most_common(10)))
for c, _ in cats.most_common():
    print(f'\n{c}: ' + '; '.join(f'{f} {100*n/tot:.1f}' for f, n in leafs[c].most_common(8)))
