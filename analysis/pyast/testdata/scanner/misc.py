# Operators, numbers, continuation lines, odd indentation.
x = 1 + \
    2
if x:
	y = 0xFF_ff + 0o17 + 0b1 + 1_000.5e-3j + .5 + 5. + 0e0 + 00 + 0_0
	z = [1,
  2,
        3]
	if y:  # comment
		pass

	elif z:
	    pass  # mixed but consistent
  # dedented comment
	w = ...; w @= x; w //= 2; w **= 3; w >>= 1; w <<= 1
	def f() -> None: return x[1:2, ::3]
	v = x if 1else 2
	u = 1if x else 2
	t = [0x1for x in y]
	match x:
	    case {"a": 1, **rest}: pass
	    case [1, *_] | (2 | 3): pass
	type X[T: int, *Ts, **P] = list[T]
	async def g(): await x
	lambda *a, **k: (yield)
	é = ñ = 𝔘𝔫𝔦𝔠𝔬𝔡𝔢 = 1
a = """triple ' " '' ""\" x""" + '''\''''
