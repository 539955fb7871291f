#!/usr/bin/env python3
"""Fails when two files under src/ import each other, directly or around a loop (a parent module and
its own child files excepted), or when a stage imports one that comes after it in the pipeline
(fetch -> analyse -> report -> store -> deliver; see LATER). Run from the repository root; .ci/run
runs it."""
import re, os, sys, itertools
root='src'
files={}
for d,_,fs in os.walk(root):
    for f in fs:
        if f.endswith('.rs'): files[os.path.join(d,f)]=open(os.path.join(d,f)).read()
def modpath(f):
    p=f[len(root)+1:-3].split('/')
    if p[-1] in ('mod','lib','main'): p=p[:-1]
    return p
mods={tuple(modpath(f)):f for f in files}
def resolve(cur, path):
    # path: list of segments after crate:: or super::
    best=None
    for n in range(len(path),0,-1):
        if tuple(path[:n]) in mods: return mods[tuple(path[:n])]
    return None
edges=set()
for f,src in files.items():
    src_nt='\n'.join(l for l in src.split('#[cfg(test)]')[0].split('\n') if not l.strip().startswith('//'))
    me=modpath(f)
    for m in re.finditer(r'\b(crate|super)((?:::[A-Za-z_][A-Za-z0-9_]*)+)', src_nt):
        segs=m.group(2).split('::')[1:]
        if m.group(1)=='crate': base=[]
        else:
            base=me[:-1] if not f.endswith('mod.rs') else me[:-1]
        tgt=resolve(me, base+segs)
        if tgt and tgt!=f: edges.add((f,tgt))
    # `use {a, b}` groups: crate::x::{y, z}
    for m in re.finditer(r'use (crate|super)::([a-z_:]+)::\{([^}]*)\}', src_nt):
        base=[] if m.group(1)=='crate' else me[:-1]
        pre=m.group(2).split('::')
        for item in m.group(3).split(','):
            item=item.strip().split('::')[0]
            if not item or item=='self': continue
            tgt=resolve(me, base+pre+[item])
            if tgt and tgt!=f: edges.add((f,tgt))
    # child modules used by parent: `mod x;` + x:: usage
    for m in re.finditer(r'\b([a-z_]+)::', src_nt):
        cand=me+[m.group(1)]
        if tuple(cand) in mods and mods[tuple(cand)]!=f: edges.add((f,mods[tuple(cand)]))
def parentchild(a,b):
    pa,pb=modpath(a),modpath(b)
    return pa==pb[:-1] or pb==pa[:-1]
g={}
for a,b in edges: g.setdefault(a,set()).add(b)
# cycles via DFS, ignoring parent<->child edges
found=set()
def dfs(start,node,path,seen):
    for n in g.get(node,()):
        if parentchild(node,n): continue
        if n==start: found.add(tuple(sorted(path)))
        elif n not in seen and len(path)<8:
            dfs(start,n,path+[n],seen|{n})
for f in files: dfs(f,f,[f],{f})
print("cycles:", len(found))
for c in sorted(found): print('  ', ' -> '.join(c))
# What each top-level module must not import (outside its tests): data flows one way, and the
# small shared modules below every stage import none of them.
STAGES={'cli','commands','config','run','scavio','analysis','report','store','deliver'}
LATER={
    'analysis': STAGES-{'analysis'},
    'report': STAGES-{'analysis','report'},
    'text': STAGES, 'fmt': STAGES, 'retry': STAGES,
}
def top(f): return (modpath(f) or ['lib'])[0]
wrong=sorted((a,b) for a,b in edges if top(b) in LATER.get(top(a),()))
print("imports against the pipeline:", len(wrong))
for a,b in wrong: print('  ', a, '->', b)
sys.exit(1 if found or wrong else 0)
