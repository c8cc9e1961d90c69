match command.split():
    case [action]:
        pass
    case [action, obj]:
        pass
    case Point(x=0, y=0):
        pass
    case [Point(x=0, y=0), *rest]:
        pass
    case {"x": x, "y": y, **rest}:
        pass
    case {1: _, -1: _, 1.5: _, 2j: _, -1+2j: _, 'a' 'b': _, None: _, True: _, a.b: _}:
        pass
    case 1 | 2 | 3 as n:
        pass
    case -1 | 1.5 | 2j | 1 - 2j | 'a' | b"b" | None | True | False:
        pass
    case a.b.c:
        pass
    case (a, b, *_):
        pass
    case ():
        pass
    case []:
        pass
    case (a):
        pass
    case (a,):
        pass
    case a, *b:
        pass
    case *a, b,:
        pass
    case _ if x > 1:
        pass
    case Cls():
        pass
    case Cls(a, b, c=d):
        pass
    case {}:
        pass
    case str() | bytes() as s:
        pass
    case _:
        pass
match x, y:
    case 1, 2:
        pass
match *a, b:
    case _:
        pass
match (x):
    case _:
        pass
match -x:
    case _:
        pass
match not x:
    case _:
        pass
match = 1
match.x = 2
match[0] = 3
match(x)
match(x).y: int = 1
match * 2
match - 1
match, case = 1, 2
case = 3
_ = 4
print(match, case, _)
