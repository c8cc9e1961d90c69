type Alias = int
type Alias[T] = list[T]
type Alias[T: int, *Ts, **P] = Callable[P, tuple[T, *Ts]]
type A[T = int, *Ts = *tuple[int], **P = [int]] = T
def f[T](x: T) -> T: ...
def g[T: (int, str), U = T](x: T, y: U): ...
class C[T](Base[T]): pass
class D[T,]: pass
async def h[T](): pass
type = 1
type.x = 2
type(x)
type
print(type)
