#!/usr/bin/env bash
# Compare `preflight ast` with CPython's own ast (shared/oracle/pyast_oracle.py)
# on the given files, for each installed CPython 3.11/3.12/3.13. Prints one
# verdict line per interpreter; never fails (the demo only reports).
set -uo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
oracle=${PREFLIGHT_SHARED:-$root/../shared}/oracle/pyast_oracle.py
[[ -f $oracle ]] || { echo "(no shared/oracle/pyast_oracle.py: skipping the CPython comparison)"; exit 0; }
echo
for v in 3.11.7 3.12.1 3.13.0; do
	py=${PYENV_ROOT:-$HOME/.pyenv}/versions/$v/bin/python3
	[[ -x $py ]] || { echo "CPython $v: not installed"; continue; }
	# CPython 3.11 gives the parts of an f-string the position of the whole
	# string, so its positions are not compared.
	opt=() note=""
	[[ $v == 3.11.* ]] && opt=(--no-pos) note=" (without positions)"
	if cmp -s <("$py" "$oracle" "${opt[@]}" "$@") <("$root/bin/preflight" ast --python "${v%.*}" "${opt[@]}" "$@"); then
		echo "CPython $v: preflight ast output is byte-identical to ast.parse's$note ($#/$# files)"
	else
		n=$(diff <("$py" "$oracle" "${opt[@]}" "$@") <("$root/bin/preflight" ast --python "${v%.*}" "${opt[@]}" "$@") | grep -c '^<')
		echo "CPython $v: $n of $# files differ from ast.parse's$note"
	fi
done
