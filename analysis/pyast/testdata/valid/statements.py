import os
import a.b.c as d, e
from . import x
from .. import y as z
from ...pkg import q
from .... import r
from a.b import (c, d as e,)
from m import *
global g1, g2
def outer():
    nonlocal n
    return
def gen():
    x = yield
    y = yield 1, 2
    yield from z
    await w
    return 1, *a
del a, b[0], c.d, (e, f), [g]
del (h)
del x,
assert x
assert x, "msg"
raise
raise E
raise E from c
pass
while x:
    break
else:
    continue
for i in range(10):
    pass
else:
    pass
for x, *y in z: pass
for (a, b) in c, d: pass
if a:
    pass
elif b:
    pass
elif c:
    pass
else:
    pass
if x: pass; pass;
class A: pass
class B(A, metaclass=M, **kw): x = 1
@dec
@dec.attr(1)
@(lambda f: f)
@a[0] if b else c
class C:
    @property
    def p(self) -> int:
        """doc"""
        return 1
    async def m(self):
        async for x in y:
            pass
        async with a as b, c as (d, e):
            pass
        await z
def f(a, b=1, /, c=2, *args: int, d, e=3, **kw: str) -> None: ...
def g(*, a): ...
def h(a, /): ...
def k(*args: *Ts): ...
if True:
    x = 1

    # comment

    y = 2
x = 1 \
    + 2
