f"a{x}b{y!r}c{z!s:>10}d{w!a}"
f"{x=}" f"{x = }" f"{x=!s}" f"{x=:>5}" f"{x=!r:^{w}}"
f"{x:{y}.{z}f}"
f"{{}} {{x}} {x}"
f"{'nested'} {"same quotes"} {f'{f"{1}"}'}"
f"{x:%H:%M}"
rf"\d{a}\n" fr'{b}' F"{c}" Rf"{d}"
f"""
multi {
    x  # comment
} line
"""
f"{x,y}" f"{*a,}" f"{yield}" if 0 else 0
"a" "b" 'c'
"a" f"{b}" "c"
f"" "" f""
b"a" b'b' rb"c" Br'd'
u"x" "y"
f"{x:}" f"{x!r:}"
f"{1+2 = }"
f"{'#'}"
f'{a["b"]}'
f"{(lambda x: x)(1)}"
f"{x:{'a'}}"
f"\N{BULLET} {x}"
f"{x:\N{BULLET}}"
