try:
    pass
except ValueError as e:
    pass
except (TypeError, KeyError):
    pass
except:
    pass
else:
    pass
finally:
    pass
try:
    pass
finally:
    pass
try:
    pass
except* ValueError:
    pass
except* (TypeError, OSError) as eg:
    pass
with a:
    pass
with a as b, c as d:
    pass
with (a, b):
    pass
with (a as b, c as d,):
    pass
with (a, b) as c:
    pass
with (a) as b, (c):
    pass
with (yield):
    pass
with (x := 1):
    pass
with (a)[0] as b:
    pass
with (a, b)[0]:
    pass
async def f():
    async with (a as b):
        pass
    async for x in y:
        pass
    else:
        pass
    return [x async for x in y]
while (n := next(it)) is not None:
    pass
if (x := 1) and (y := 2):
    pass
