# PEP 701 f-strings: nested quotes, comments, newlines, specs, debug.
a = f"{x["a"]}" f'{f'{1}'}' f"{'\n'.join(y)}"
b = f"a{{b}}c{x!r:>{w}} {y=} {y = !s:^10}"
c = f"{x:{5}}}}" f"{x:{y:{z}}}" f"{x:a{b}}"
d = f"""{
    x # comment }
    + 1
}""" rf"\N{x}" f"\N{EM DASH}{y}" fR"\{x}"
e = f"{a[1:2]:x} {x:=1} {x!=y} {(lambda: 1)()}"
f = f'''multi
line {x:
} text {y:{
z}} end'''
g = f"{x:%Y-%m-%d %H:%M}" f"{x:{{}}>10}" f"{'{'}{'}'}"
h = f"{x}" f"" f"{x}{y}" f"{{}}" f"{{{x}}}" F"{x!a}" Rf"\d{x}\d"
i = f"{
x
}"
j = f"\{x}\\{y}\N{BULLET} \x41{z}", b"x" rb'\'', u"\u00e9"
k = f"{"":}" f"{0:{""}}" f"{x:{'a'}b}"
