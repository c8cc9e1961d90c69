# Operator precedence, chained comparisons, boolean operators, unary chains.
a + b * c - d / e // f % g @ h
-x ** -y ** 2
~a << 2 >> b & c ^ d | e
not a < b <= c is not d not in e in f is g != h == i > j >= k
a and b or c and not d
x if y else z if w else v
lambda: 0
lambda x, /, y=1, *args, z, w=2, **kw: (x, y, z)
lambda *, k: k
lambda *a: a
await_ = 1
(a)
((a, b))
(yield_ := 3)
()
(1,)
[1, *a, 2]
{1, *a}
{**a, 'b': 1, **c}
{}
[x for x in y if x if not x for z in x]
{k: v for k, v in d.items()}
{x async for x in y}
(x for x in y)
a[1:2, ::3, ...]
a[:]
a[::]
a[*b]
a[*b, c:d]
a[b:=1]
a[(1), 2]
f(a)(b)[c].d
f(*a, **b, c=1)
f(a, *b, c=d, *e, **f)
f(x for x in y)
f(a := 1, b)
x.y.z
1 + 2j
0xff + 0o17 + 0b1 + 1_000 + 1e10 + 1.5 + .5 + 5.
None, True, False, ...
print(*a, sep='')
(await_)
a = b = c
a, *b = c
[a, (b, c)] = d
a.b[c] = d
x: int = 1
(y): int
z.w: str
q[0]: list = []
a += 1; b -= 2; c *= 3; d /= 4; e //= 5; f %= 6; g **= 7; h >>= 8; i <<= 9; j &= 10; k ^= 11; l |= 12; m @= 13
x = yield_
x = *a, *b
(a)[0] = 1
